import type { BusMessage } from './bus/bus-message.types.js';
import type { InvalidationMessage } from './cache-events.js';
import type { ResilienceOptions } from './cache-options.js';
import type { StatsCounters } from './cache-stats.js';
import { entryResilience } from './entry-resilience.js';
import type { ResolvedSettings } from './hydra-cache.settings.js';
import type { LoadCoordinator } from './load-coordinator.js';
import { Entry, type LruStore } from './lru-store.js';
import type { TagIndex } from './tag-index.js';

/** A change to one instance: a bus message (keys, tags, flush), or an expire of keys or tags. */
export type CacheChange = InvalidationMessage;

/**
 * Applies every change to this instance's entries: writes (TTL, jitter, grace, the bus's cap) and,
 * through one path whichever instance asked for them, removals, expiries and flushes, each
 * superseding the running loads it overtakes.
 */
export class LocalChanges {
  constructor(
    private readonly store: LruStore,
    private readonly tags: TagIndex<Entry>,
    private readonly loads: LoadCoordinator,
    private readonly stats: StatsCounters,
    private readonly settings: ResolvedSettings,
    /** The longest TTL a write may store now (the bus's cap while it is disconnected). */
    private readonly ttlCap: () => number,
    /**
     * The time reads check expiry against (the cache's read clock, which may lag `Date.now()`):
     * removals and expiries judge what is live by it too, so an entry a read just served as a
     * hit is counted live, and expired, rather than skipped and served again.
     */
    private readonly now: () => number,
  ) {}

  /** Stores an encoded value under `key`, replacing any entry; returns the TTL (ms) it got. */
  write(
    key: string,
    data: unknown,
    tags: readonly string[],
    ttl: number | undefined,
    options?: ResilienceOptions,
  ): number {
    const settings = this.settings;
    // While the bus is disconnected, no entry may outlive the bound on serving unheard-of data,
    // and none is served stale past it either (no grace then).
    const cap = this.ttlCap();
    let ms = Math.min(ttl ?? settings.defaultTtl, cap);
    const jitter = options?.ttlJitter ?? settings.ttlJitter;
    if (jitter > 0 && ms !== Infinity) ms -= Math.floor(ms * jitter * Math.random());
    const now = Date.now();
    const expiresAt = ms === Infinity ? Infinity : now + ms;
    const resilience = entryResilience(
      now,
      expiresAt,
      cap === Infinity ? (options?.grace ?? settings.grace) : 0,
      options?.failSafeBackoff ?? settings.failSafeBackoff,
      options?.refreshAhead ?? settings.refreshAhead,
    );
    const entry = new Entry(key, data, expiresAt, tags, resilience);
    this.store.set(entry);
    this.tags.add(entry);
    return ms;
  }

  /**
   * The one path every invalidation takes, local or from another instance: removes (or expires)
   * what `change` names and supersedes the loads it overtakes. Returns how many live entries went.
   */
  apply(change: CacheChange): number {
    switch (change.type) {
      case 'expireKeys':
        return this.#expireKeys(change.keys);
      case 'expireTags':
        return this.#expireTags(change.tags);
      case 'keys':
        return this.#removeKeys(change.keys);
      case 'tags':
        return this.#removeTags(change.tags);
      case 'flush':
        this.loads.supersedeAll();
        this.store.clear();
        this.tags.clear();
        return 0;
    }
  }

  #removeKeys(keys: readonly string[]): number {
    const now = this.now();
    let removed = 0;
    for (const key of keys) {
      this.loads.supersede(key);
      const entry = this.store.delete(key);
      if (entry !== undefined && entry.expiresAt > now) removed++;
    }
    this.stats.invalidations += removed;
    return removed;
  }

  #removeTags(tags: readonly string[]): number {
    const now = this.now();
    let removed = 0;
    for (const tag of tags) {
      this.loads.tagInvalidated(tag);
      for (const entry of this.tags.take(tag)) {
        this.store.remove(entry);
        if (entry.expiresAt > now) removed++;
      }
    }
    this.stats.invalidations += removed;
    return removed;
  }

  #expireKeys(keys: readonly string[]): number {
    const now = this.now();
    let expired = 0;
    for (const key of keys) {
      this.loads.supersede(key);
      const entry = this.store.peek(key);
      if (entry !== undefined && this.store.expire(entry, now)) expired++;
    }
    return expired;
  }

  #expireTags(tags: readonly string[]): number {
    const now = this.now();
    let expired = 0;
    for (const tag of tags) {
      this.loads.tagInvalidated(tag);
      // A copy: expiring an entry without grace removes it from the tag's set.
      for (const entry of [...this.tags.entriesOf(tag)]) {
        if (this.store.expire(entry, now)) expired++;
      }
    }
    return expired;
  }
}

/**
 * The bus message for a change. An expire travels as the matching invalidation (wire version 1
 * has no expire type): other instances remove what this one keeps stale, which never serves them
 * anything an expire would not.
 */
export function toWire(change: CacheChange): BusMessage {
  if (change.type === 'expireKeys') return { type: 'keys', keys: change.keys };
  if (change.type === 'expireTags') return { type: 'tags', tags: change.tags };
  return change;
}
