/**
 * The names this integration records under: metric names, units and attribute keys. One table,
 * so the documentation (docs/monitoring.md) and the code cannot drift apart.
 */

/** Instrumentation scope name of the meter and tracer. */
export const INSTRUMENTATION_SCOPE = '@hydracache/nestjs';

/** Metric names. */
export const METRICS = Object.freeze({
  /** Counter {request}: reads (get, getOrLoad) by `cache.result` (hit, miss, or stale within grace). */
  gets: 'hydracache.cache.gets',
  /** Histogram s: loader run time by `cache.load.outcome` (success or error); its count is the loads. */
  loadDuration: 'hydracache.cache.load.duration',
  /** Counter {call}: callers that joined a load already running (single-flight). */
  joins: 'hydracache.cache.load.joins',
  /** Counter {load}: load results not stored because an invalidation overtook the load. */
  staleDiscards: 'hydracache.cache.load.stale_discards',
  /** Counter {entry}: entries evicted to respect `maxCapacity`. */
  evictions: 'hydracache.cache.evictions',
  /** Counter {invalidation}: invalidations applied, by `cache.invalidation.kind` and `.origin`. */
  invalidations: 'hydracache.cache.invalidations',
  /** Counter {entry}: live entries those invalidations removed. */
  invalidatedEntries: 'hydracache.cache.invalidated_entries',
  /** Counter {event}: bus events by `bus.event` and `bus.transport`. */
  busEvents: 'hydracache.bus.events',
  /** Counter {event}: second-tier events by `l2.event` (hit, miss, fill, refused-fill, write, error, timeout, untrusted, trusted, abandoned). */
  l2Events: 'hydracache.l2.events',
  /** Gauge {entry}: entries stored now (observed caches only). */
  size: 'hydracache.cache.size',
  /** Gauge {entry}: the `maxCapacity` setting (observed caches only). */
  capacity: 'hydracache.cache.capacity',
});

/** Attribute keys. */
export const ATTRIBUTES = Object.freeze({
  /** The cache's `name` setting. */
  cacheName: 'cache.name',
  /** The key's first `:`-separated segment, when it has one. */
  namespace: 'cache.namespace',
  /** `hit` or `miss`. */
  result: 'cache.result',
  /** Which tier answered: `memory` (the only one today). */
  tier: 'cache.tier',
  /** `success` or `error`. */
  loadOutcome: 'cache.load.outcome',
  /** `keys`, `tags` or `flush`. */
  invalidationKind: 'cache.invalidation.kind',
  /** `local` or `remote`. */
  invalidationOrigin: 'cache.invalidation.origin',
  /** The bus event: `connected`, `disconnected`, `gap`, `resync`, `outage-flush`, `publish-failure`. */
  busEvent: 'bus.event',
  /** The second-tier event (see `hydracache.l2.events`). */
  l2Event: 'l2.event',
  /** The bus transport's name (`redis`, `memory`). */
  busTransport: 'bus.transport',
  /** The sanitized key, only with the `keyAttribute` option. */
  key: 'cache.key',
});

/** Name of the span of one loader run. */
export const LOAD_SPAN_NAME = 'hydracache.load';

/** Histogram bucket boundaries for load durations, in seconds (1 ms to 10 s). */
export const LOAD_DURATION_BUCKETS = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
