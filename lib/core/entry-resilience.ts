/**
 * What an entry stored with grace or eager refresh keeps beside its expiry: recorded when it is
 * stored (from the load's options or the cache's defaults), read only off the plain hit path.
 */
export interface EntryResilience {
  /** The entry's grace in ms: how long past its expiry get-or-load may serve it stale. */
  readonly grace: number;
  /** How long (ms) the loader rests after fail-safe served this entry's stale value. */
  readonly failSafeBackoff: number;
  /** `Date.now()` ms until which the entry may be served stale: its expiry plus its grace. */
  staleUntil: number;
  /** `Date.now()` ms from which a hit starts an eager refresh; `Infinity` for none. */
  refreshAt: number;
  /** `Date.now()` ms until which no load of the key starts for a stale hit (fail-safe backoff); 0 for none. */
  backoffUntil: number;
}

/**
 * The record for an entry stored at `now` until `expiresAt`, or undefined when it has neither
 * grace nor eager refresh (most entries: they then carry nothing extra).
 */
export function entryResilience(
  now: number,
  expiresAt: number,
  grace: number,
  failSafeBackoff: number,
  refreshAhead: number,
): EntryResilience | undefined {
  const refreshAt =
    refreshAhead > 0 && expiresAt !== Infinity
      ? now + Math.floor((expiresAt - now) * refreshAhead)
      : Infinity;
  if (grace === 0 && refreshAt === Infinity) return undefined;
  return { grace, failSafeBackoff, staleUntil: expiresAt + grace, refreshAt, backoffUntil: 0 };
}
