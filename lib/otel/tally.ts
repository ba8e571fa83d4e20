import type { Attributes, ObservableResult } from '@opentelemetry/api';

/**
 * Distinct attribute sets a tally keeps apart; the rest share one overflow set. Below the SDK's
 * default cardinality limit (2 000 per metric) even for the reads counter, which has two tallies.
 */
export const MAX_ATTRIBUTE_SETS = 900;

interface Count {
  readonly attributes: Attributes;
  value: number;
}

/**
 * Counts in plain numbers per attribute set, reported to an observable counter at collection
 * time: a hit then costs two map lookups and an increment, not an SDK call that hashes attributes.
 * A set is identified by two strings (the cache name, then what else tells sets apart), looked up
 * in nested maps so no id string is built per event. Bounded: beyond {@link MAX_ATTRIBUTE_SETS}
 * sets, counts go to a set marked `otel.metric.overflow` (as the SDK's cardinality limit does).
 */
export class Tally<E> {
  readonly #counts = new Map<string, Map<string | undefined, Count>>();
  #sets = 0;
  readonly #overflow: Count = { attributes: { 'otel.metric.overflow': true }, value: 0 };

  /** @param attributesOf builds the attributes of a set the first time it is seen. */
  constructor(private readonly attributesOf: (event: E) => Attributes) {}

  /** Adds `by` to the set (`cache`, `rest`), whose attributes `event` gives. */
  add(cache: string, rest: string | undefined, event: E, by = 1): void {
    let inner = this.#counts.get(cache);
    const count = inner?.get(rest);
    if (count !== undefined) {
      count.value += by;
      return;
    }
    if (this.#sets >= MAX_ATTRIBUTE_SETS) {
      this.#overflow.value += by;
      return;
    }
    if (inner === undefined) this.#counts.set(cache, (inner = new Map()));
    inner.set(rest, { attributes: this.attributesOf(event), value: by });
    this.#sets++;
  }

  /** Reports every total (counters are cumulative). */
  report(result: ObservableResult): void {
    for (const inner of this.#counts.values()) {
      for (const { attributes, value } of inner.values()) result.observe(value, attributes);
    }
    if (this.#overflow.value > 0) result.observe(this.#overflow.value, this.#overflow.attributes);
  }
}
