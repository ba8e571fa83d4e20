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
  /** Get-or-load calls answered with a value past its TTL, within its grace (see `grace`). */
  readonly staleHits: number;
  /** Loads started in the background: stale-while-revalidate and `refreshAhead` refreshes. */
  readonly backgroundRefreshes: number;
  /** Loader failures (or hard timeouts) answered with a stale value instead of the error. */
  readonly failSafeActivations: number;
  /** Callers handed a stale value because the load outlasted their `timeout`. */
  readonly softTimeouts: number;
  /** Loads that outlasted their `hardTimeout` and were released. */
  readonly hardTimeouts: number;
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
  staleHits = 0;
  backgroundRefreshes = 0;
  failSafeActivations = 0;
  softTimeouts = 0;
  hardTimeouts = 0;

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
      staleHits: this.staleHits,
      backgroundRefreshes: this.backgroundRefreshes,
      failSafeActivations: this.failSafeActivations,
      softTimeouts: this.softTimeouts,
      hardTimeouts: this.hardTimeouts,
      size,
    });
  }
}
