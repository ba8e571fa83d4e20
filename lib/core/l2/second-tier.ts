/**
 * The seam between a cache and a shared second tier (L2, e.g. `redisL2()` from
 * `@hydracache/nestjs/redis`). The core only knows this interface; an implementation keeps the
 * entries and a version per key, per tag and for the whole tier, and makes stale-load safety hold
 * across instances without comparing clocks: a fill stores only under the versions a lookup read
 * before the loader ran, and a read serves an entry only while its versions are still current.
 */
export interface SecondTier {
  /** Largest encoded value in bytes the tier takes (the cache's `l2MaxEntryBytes` also applies). Default: no bound of its own. */
  readonly maxEntryBytes?: number;
  /**
   * Looks `key` up. An entry whose versions are all current is a hit; otherwise the answer carries
   * the versions of the tier, the key and its declared `tags` as they are now, for {@link fill}.
   * May wait (a distributed single-flight lease held elsewhere), bounded by the implementation.
   * Rejects when the tier cannot be reached; the cache then loads without it.
   */
  lookup(key: string, tags: readonly string[]): Promise<TierLookup>;
  /**
   * Stores a load's encoded value unless any version in `ticket` changed since the lookup, or a
   * `resultTags` member was invalidated since it; resolves true when stored. `ttl` in ms.
   */
  fill(fill: TierFill): Promise<boolean>;
  /** Stores a put's value, superseding fills of `key` still running anywhere. `ttl` in ms. */
  write(key: string, bytes: Uint8Array, tags: readonly string[], ttl: number): Promise<void>;
  /** Gives back what a lookup reserved for a load that stores nothing (e.g. a lease). Never rejects. */
  release(key: string, ticket: TierTicket): Promise<void>;
  /** Bumps the versions of `tags`: every entry and running fill under them goes stale. */
  invalidateTags(tags: readonly string[]): Promise<void>;
  /** Bumps the versions of `keys`: their entries and running fills go stale. */
  invalidateKeys(keys: readonly string[]): Promise<void>;
  /** Bumps the tier's own version: every entry and running fill goes stale. */
  flush(): Promise<void>;
  /** Closes the tier's connections; safe to call twice. */
  close(): Promise<void>;
  /**
   * Optional, for sources that read an ordered log (see `ChangeSink.startAt`): records that this
   * instance applied every change of `stream` before `position` to the tier. Positions only grow.
   */
  recordApplied?(stream: string, position: number): Promise<void>;
  /** Optional, with {@link recordApplied}: true when some instance recorded `stream` applied past `position`. */
  appliedPast?(stream: string, position: number): Promise<boolean>;
}

/** What a fill stores, and the ticket its lookup handed out. */
export interface TierFill {
  readonly key: string;
  /** The value as the cache's codec encoded it (the same bytes the cache keeps). */
  readonly bytes: Uint8Array;
  /** Tags declared before the load: checked against the versions in `ticket`. */
  readonly tags: readonly string[];
  /** Tags known only from the loaded value: each must not have been invalidated since the lookup. */
  readonly resultTags: readonly string[];
  /** Time to live in ms (`Infinity`: the implementation's longest). */
  readonly ttl: number;
  readonly ticket: TierTicket;
}

/** An implementation's record of the versions a lookup read (opaque to the cache). */
export type TierTicket = unknown;

/** A lookup's answer: a current entry, or the ticket a fill must present. */
export type TierLookup = TierHit | TierMiss;

/** A current entry of the second tier. */
export interface TierHit {
  readonly hit: true;
  readonly bytes: Uint8Array;
  /** Every tag the entry was stored with (declared and result tags). */
  readonly tags: readonly string[];
  /** Time left to live in ms (`Infinity` for none). */
  readonly ttl: number;
}

/** No current entry: the versions a later fill must still find. */
export interface TierMiss {
  readonly hit: false;
  readonly ticket: TierTicket;
}

/** True when `value` has the methods of a {@link SecondTier}. */
export function isSecondTier(value: unknown): value is SecondTier {
  if (value === null || typeof value !== 'object') return false;
  const tier = value as Record<string, unknown>;
  return [
    'lookup',
    'fill',
    'write',
    'release',
    'invalidateTags',
    'invalidateKeys',
    'flush',
    'close',
  ].every((method) => typeof tier[method] === 'function');
}
