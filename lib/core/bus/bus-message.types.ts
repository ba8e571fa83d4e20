/** One change that every other instance on the bus applies to its own local cache. */
export type BusMessage =
  /** Remove these keys (an invalidation, a remove, or a put: other instances drop their copy). */
  | { readonly type: 'keys'; readonly keys: readonly string[] }
  /** Remove every entry carrying one of these tags and supersede loads that declared them. */
  | { readonly type: 'tags'; readonly tags: readonly string[] }
  /** Remove everything and supersede every running load. */
  | { readonly type: 'flush' };

/**
 * What the bus needs from the cache it serves. A remote message goes through the same local path
 * as a local invalidation (so it supersedes running loads the same way) but is never re-published.
 */
export interface BusTarget {
  /** Applies `message` to the local cache only. */
  applyLocally(message: BusMessage): void;
  /** Entries currently stored; a resync with nothing stored has nothing to drop. */
  readonly size: number;
  /**
   * Loads running now, if the cache can tell. A load that started before a gap may store what a
   * missed message invalidated, so a resync drops (supersedes) it too. When absent, a resync
   * always flushes, even an empty cache.
   */
  readonly loading?: number;
  /** The cache's name, reported on bus events. Default: `'default'`. */
  readonly name?: string;
}
