/** A snapshot of the cache's counters, taken by `stats()`. */
export interface CacheStats {
  /** Reads answered from the cache. */
  readonly hits: number;
  /** Reads that found no usable entry (missing, expired or undecodable). */
  readonly misses: number;
  /** Loader executions started. */
  readonly loads: number;
  /** Callers that shared a load already running instead of starting their own. */
  readonly singleFlightJoins: number;
  /** Loads whose result was not stored because an invalidation, flush or put overtook them. */
  readonly staleLoadDiscards: number;
  /** Entries removed by invalidateKey / remove / invalidateTag (flush counts none). */
  readonly invalidations: number;
  /** Entries pushed out to respect `maxCapacity` (expiry is not an eviction). */
  readonly evictions: number;
  /** Entries stored now, expired ones not yet removed included. */
  readonly size: number;
}

/** The mutable counters behind {@link CacheStats}. */
export class StatsCounters {
  hits = 0;
  misses = 0;
  loads = 0;
  singleFlightJoins = 0;
  staleLoadDiscards = 0;
  invalidations = 0;
  evictions = 0;

  /** A frozen snapshot including the current `size`. */
  snapshot(size: number): CacheStats {
    return Object.freeze({
      hits: this.hits,
      misses: this.misses,
      loads: this.loads,
      singleFlightJoins: this.singleFlightJoins,
      staleLoadDiscards: this.staleLoadDiscards,
      invalidations: this.invalidations,
      evictions: this.evictions,
      size,
    });
  }
}
