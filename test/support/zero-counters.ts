import type { CacheStats } from '../../lib/index.js';

/** Every counter of {@link CacheStats} (all but `size`), writable, for models to count with. */
export type Counters = { -readonly [K in keyof Omit<CacheStats, 'size'>]: number };

/**
 * A fresh set of counters at zero. Written out, not derived from the library, so that a counter
 * added to or dropped from `stats()` fails the tests that compare with it.
 */
export function zeroCounters(): Counters {
  return {
    hits: 0,
    misses: 0,
    loads: 0,
    singleFlightJoins: 0,
    staleLoadDiscards: 0,
    invalidations: 0,
    evictions: 0,
    staleHits: 0,
    backgroundRefreshes: 0,
    failSafeActivations: 0,
    softTimeouts: 0,
    hardTimeouts: 0,
  };
}
