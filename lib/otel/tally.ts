import type { Attributes, ObservableResult } from '@opentelemetry/api';

/** Distinct attribute sets a tally keeps apart; the rest share one overflow set. */
export const MAX_ATTRIBUTE_SETS = 2_000;

/**
 * Counts in plain numbers per attribute set, reported to an observable counter at collection
 * time: a hit then costs a map lookup and an increment, not an SDK call that hashes attributes.
 * Bounded: beyond {@link MAX_ATTRIBUTE_SETS} sets, counts go to a set marked `otel.metric.overflow`
 * (as the OpenTelemetry SDK's own cardinality limit does).
 */
export class Tally {
  readonly #counts = new Map<string, { attributes: Attributes; value: number }>();
  readonly #overflow: { attributes: Attributes; value: number } = {
    attributes: { 'otel.metric.overflow': true },
    value: 0,
  };

  /** Adds `by` to the set `id`; `attributes` builds its attributes the first time `id` is seen. */
  add(id: string, attributes: () => Attributes, by = 1): void {
    const count = this.#counts.get(id);
    if (count !== undefined) {
      count.value += by;
    } else if (this.#counts.size < MAX_ATTRIBUTE_SETS) {
      this.#counts.set(id, { attributes: attributes(), value: by });
    } else {
      this.#overflow.value += by;
    }
  }

  /** Reports every total (counters are cumulative). */
  report(result: ObservableResult): void {
    for (const { attributes, value } of this.#counts.values()) result.observe(value, attributes);
    if (this.#overflow.value > 0) result.observe(this.#overflow.value, this.#overflow.attributes);
  }
}
