/** A snapshot of a cache's second-tier counters, taken by `cache.l2Stats()`. */
export interface L2Stats {
  /** Misses of this instance answered from the second tier (no loader run). */
  readonly hits: number;
  /** Lookups that found no current entry (the loader ran). */
  readonly misses: number;
  /** Loads stored in the second tier. */
  readonly fills: number;
  /** Fills refused because a version changed since their lookup (stale-load safety) or their lease lapsed. */
  readonly refusedFills: number;
  /** Puts written to the second tier. */
  readonly writes: number;
  /** Calls that failed (the cache carried on without the tier); timeouts included. */
  readonly errors: number;
  /** Calls that failed by timing out. */
  readonly timeouts: number;
  /** Loads that skipped the second tier: per-entry `l2: false`, too large, the tier untrusted or starting. */
  readonly skipped: number;
  /** Lookups, fills and writes that reached the tier, and their summed latency in ms. */
  readonly calls: number;
  readonly latencyMs: number;
  /** False while invalidations made during an outage wait to be replayed: the tier is not read then. */
  readonly trusted: boolean;
  /** Tags and keys whose invalidation waits for the tier to come back (a flush counts as one). */
  readonly pendingInvalidations: number;
  /**
   * True while a source of changes that just started (the Postgres feed) waits for another
   * instance to vouch that the tier has every change it skipped, or for the time to flush it: the
   * tier is not read then.
   */
  readonly starting: boolean;
}

/** The mutable counters behind {@link L2Stats}. */
export class L2Counters {
  hits = 0;
  misses = 0;
  fills = 0;
  refusedFills = 0;
  writes = 0;
  errors = 0;
  timeouts = 0;
  skipped = 0;
  calls = 0;
  latencyMs = 0;

  /** A frozen snapshot with the guard's state. */
  snapshot(trusted: boolean, pendingInvalidations: number, starting: boolean): L2Stats {
    return Object.freeze({
      hits: this.hits,
      misses: this.misses,
      fills: this.fills,
      refusedFills: this.refusedFills,
      writes: this.writes,
      errors: this.errors,
      timeouts: this.timeouts,
      skipped: this.skipped,
      calls: this.calls,
      latencyMs: this.latencyMs,
      trusted,
      pendingInvalidations,
      starting,
    });
  }
}
