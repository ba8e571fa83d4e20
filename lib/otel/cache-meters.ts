import type { Attributes, Histogram, Meter, ObservableResult } from '@opentelemetry/api';
import type {
  BusEvent,
  CacheKeyEvent,
  InvalidationEvent,
  L2Event,
  LoadEvent,
} from '../core/cache-events.js';
import type { HydraCache } from '../core/hydra-cache.js';
import { ATTRIBUTES, LOAD_DURATION_BUCKETS, METRICS } from './otel-names.js';
import { Tally } from './tally.js';

/** Builds the attributes of a key event; `withKey` adds the opt-in `cache.key`. */
export type AttributesOf = (event: CacheKeyEvent, withKey: boolean) => Attributes;
/**
 * The identity of a key event's attribute set within its cache (equal cache names and ids, equal
 * attributes); undefined is a valid id.
 */
export type IdOf = (event: CacheKeyEvent) => string | undefined;

/** The `cache.result` of a read. */
type GetResult = 'hit' | 'miss' | 'stale';

/**
 * The metric instruments and what each event adds to them. Counters are observable and fed by
 * {@link Tally}s (a hit is a map lookup and an increment); only the load duration histogram is
 * recorded through the SDK as it happens.
 */
export class CacheMeters {
  readonly #gets = {
    hit: new Tally<CacheKeyEvent>((e) => this.#getAttributes(e, 'hit')),
    miss: new Tally<CacheKeyEvent>((e) => this.#getAttributes(e, 'miss')),
    stale: new Tally<CacheKeyEvent>((e) => this.#getAttributes(e, 'stale')),
  };
  readonly #joins = this.#keyTally();
  readonly #staleDiscards = this.#keyTally();
  readonly #evictions = this.#keyTally();
  readonly #invalidations = new Tally<InvalidationEvent>(invalidationAttributes);
  readonly #invalidatedEntries = new Tally<InvalidationEvent>(invalidationAttributes);
  readonly #busEvents = new Tally<BusEvent>((event) => ({
    [ATTRIBUTES.cacheName]: event.cache,
    [ATTRIBUTES.busTransport]: event.transport,
    [ATTRIBUTES.busEvent]: event.event,
  }));
  readonly #l2Events = new Tally<L2Event>((event) => ({
    [ATTRIBUTES.cacheName]: event.cache,
    [ATTRIBUTES.l2Event]: event.event,
  }));
  readonly #loadDuration: Histogram;
  readonly #loadStarts = new Map<LoadEvent, number>();
  readonly #observed = new Set<HydraCache>();

  constructor(
    meter: Meter,
    private readonly attributesOf: AttributesOf,
    private readonly idOf: IdOf,
  ) {
    this.#loadDuration = meter.createHistogram(METRICS.loadDuration, {
      description: 'Loader run time, by outcome; its count is the number of loads.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...LOAD_DURATION_BUCKETS] },
    });
    const counter = (name: string, description: string, unit: string, report: Reporter): void =>
      meter.createObservableCounter(name, { description, unit }).addCallback(report);
    counter(METRICS.gets, 'Reads (get, getOrLoad), by result.', '{request}', (r) => {
      this.#gets.hit.report(r);
      this.#gets.miss.report(r);
      this.#gets.stale.report(r);
    });
    counter(METRICS.joins, 'Callers that joined a running load.', '{call}', (r) =>
      this.#joins.report(r),
    );
    counter(METRICS.staleDiscards, 'Load results discarded as stale.', '{load}', (r) =>
      this.#staleDiscards.report(r),
    );
    counter(METRICS.evictions, 'Entries evicted for capacity.', '{entry}', (r) =>
      this.#evictions.report(r),
    );
    counter(
      METRICS.invalidations,
      'Invalidations applied, by kind and origin.',
      '{invalidation}',
      (r) => this.#invalidations.report(r),
    );
    counter(METRICS.invalidatedEntries, 'Live entries removed by invalidations.', '{entry}', (r) =>
      this.#invalidatedEntries.report(r),
    );
    counter(METRICS.busEvents, 'Bus events, by event and transport.', '{event}', (r) =>
      this.#busEvents.report(r),
    );
    counter(METRICS.l2Events, 'Second-tier events, by event.', '{event}', (r) =>
      this.#l2Events.report(r),
    );
    const gauge = (name: string, description: string, read: (cache: HydraCache) => number): void =>
      meter.createObservableGauge(name, { description, unit: '{entry}' }).addCallback((r) => {
        for (const cache of this.#observed) {
          r.observe(read(cache), { [ATTRIBUTES.cacheName]: cache.name });
        }
      });
    gauge(METRICS.size, 'Entries stored now.', (cache) => cache.stats().size);
    gauge(METRICS.capacity, 'The maxCapacity setting.', (cache) => cache.maxCapacity);
  }

  /** A read: `hit`, `miss`, or `stale` (served past its TTL within grace). */
  got(event: CacheKeyEvent, result: GetResult): void {
    this.#gets[result].add(event.cache, this.idOf(event), event);
  }

  /** A caller joined a running load. */
  joined(event: CacheKeyEvent): void {
    this.#joins.add(event.cache, this.idOf(event), event);
  }

  /** A load's result was discarded as stale. */
  staleDiscarded(event: CacheKeyEvent): void {
    this.#staleDiscards.add(event.cache, this.idOf(event), event);
  }

  /** An entry was evicted. */
  evicted(event: CacheKeyEvent): void {
    this.#evictions.add(event.cache, this.idOf(event), event);
  }

  /** An invalidation was applied. */
  invalidated(event: InvalidationEvent): void {
    const id = `${event.kind}\u0000${event.origin}`;
    this.#invalidations.add(event.cache, id, event);
    if (event.removed > 0) this.#invalidatedEntries.add(event.cache, id, event, event.removed);
  }

  /** Something happened to a bus. */
  busEvent(event: BusEvent): void {
    this.#busEvents.add(event.cache, `${event.transport}\u0000${event.event}`, event);
  }

  /** Something happened in a second tier. */
  l2Event(event: L2Event): void {
    this.#l2Events.add(event.cache, event.event, event);
  }

  /** A load started: notes its start time. */
  loadStarted(event: LoadEvent): void {
    this.#loadStarts.set(event, performance.now());
  }

  /** A load settled: records its duration in seconds with its outcome. */
  loadEnded(event: LoadEvent): void {
    const started = this.#loadStarts.get(event);
    if (started === undefined) return;
    this.#loadStarts.delete(event);
    this.#loadDuration.record((performance.now() - started) / 1000, {
      ...this.attributesOf(event, true),
      [ATTRIBUTES.loadOutcome]: 'error' in event ? 'error' : 'success',
    });
  }

  /** Reports `cache`'s gauges. */
  observe(cache: HydraCache): void {
    this.#observed.add(cache);
  }

  /** Stops reporting `cache`'s gauges. */
  unobserve(cache: HydraCache): void {
    this.#observed.delete(cache);
  }

  #getAttributes(event: CacheKeyEvent, result: GetResult): Attributes {
    return {
      ...this.attributesOf(event, true),
      [ATTRIBUTES.result]: result,
      [ATTRIBUTES.tier]: 'memory',
    };
  }

  #keyTally(): Tally<CacheKeyEvent> {
    return new Tally<CacheKeyEvent>((event) => this.attributesOf(event, true));
  }

  /** Forgets load start times (at disable: those loads will not report an end). */
  clearRunning(): void {
    this.#loadStarts.clear();
  }
}

type Reporter = (result: ObservableResult) => void;

function invalidationAttributes(event: InvalidationEvent): Attributes {
  return {
    [ATTRIBUTES.cacheName]: event.cache,
    [ATTRIBUTES.invalidationKind]: event.kind,
    [ATTRIBUTES.invalidationOrigin]: event.origin,
  };
}
