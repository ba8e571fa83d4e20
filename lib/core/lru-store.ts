import QuickLRU from 'quick-lru';

/** One stored value: its encoded bytes, absolute expiry and tags. */
export interface Entry {
  /** Encoded value (or, in no-copy mode, the value itself). */
  readonly data: unknown;
  /** `Date.now()` time at which the entry expires; `Infinity` for never. */
  readonly expiresAt: number;
  /** Tags the entry is indexed under. */
  readonly tags: readonly string[];
}

/** Why an entry left the store, for the listener. */
export type RemovalCause = 'evicted' | 'expired' | 'deleted' | 'replaced';

/**
 * Bounded LRU storage over quick-lru.
 *
 * quick-lru keeps two generations of up to `maxSize` items each, so on its own it may hold almost
 * twice its `maxSize`. To make `maxCapacity` a hard bound, this store evicts the least recently
 * used entry itself before inserting a new key at capacity; with that, quick-lru's own rotation
 * only ever drops stale duplicates, which the eviction hook recognizes and ignores. Expiry is kept
 * here too (quick-lru's `maxAge` is unused), so reads of quick-lru have no side effects.
 */
export class LruStore {
  readonly #lru: QuickLRU<string, Entry>;
  readonly #capacity: number;
  readonly #onRemove: (key: string, entry: Entry, cause: RemovalCause) => void;
  #size = 0;

  constructor(
    capacity: number,
    onRemove: (key: string, entry: Entry, cause: RemovalCause) => void,
  ) {
    this.#capacity = capacity;
    this.#onRemove = onRemove;
    this.#lru = new QuickLRU<string, Entry>({
      maxSize: capacity,
      onEviction: (key, entry) => this.#evicted(key, entry),
    });
  }

  /** Number of stored entries, expired ones not yet removed included. */
  get size(): number {
    return this.#size;
  }

  /** The live entry for `key`, marking it recently used; removes and skips an expired one. */
  get(key: string, now: number): Entry | undefined {
    const entry = this.#lru.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#delete(key, entry, 'expired');
      return undefined;
    }
    return entry;
  }

  /** True when `key` holds a live entry; removes an expired one. Does not touch recency. */
  has(key: string, now: number): boolean {
    const entry = this.#lru.peek(key);
    if (entry === undefined) return false;
    if (entry.expiresAt > now) return true;
    this.#delete(key, entry, 'expired');
    return false;
  }

  /** The entry for `key`, expired or not, without touching recency. */
  peek(key: string): Entry | undefined {
    return this.#lru.peek(key);
  }

  /** Stores `entry`, replacing any previous one and evicting the LRU entry when full. */
  set(key: string, entry: Entry): void {
    const previous = this.#lru.peek(key);
    if (previous !== undefined) {
      // Delete first so quick-lru never holds the key in both generations.
      this.#lru.delete(key);
      this.#size--;
      this.#onRemove(key, previous, 'replaced');
    } else if (this.#size >= this.#capacity) {
      this.#evictOldest();
    }
    this.#lru.set(key, entry);
    this.#size++;
  }

  /** Removes the entry for `key`; returns it (expired or not), or undefined when absent. */
  delete(key: string): Entry | undefined {
    const entry = this.#lru.peek(key);
    if (entry !== undefined) this.#delete(key, entry, 'deleted');
    return entry;
  }

  /** Removes every entry without reporting them individually. */
  clear(): void {
    this.#lru.clear();
    this.#size = 0;
  }

  #delete(key: string, entry: Entry, cause: RemovalCause): void {
    this.#lru.delete(key);
    this.#size--;
    this.#onRemove(key, entry, cause);
  }

  #evictOldest(): void {
    const oldest = this.#lru.entriesAscending().next();
    if (oldest.done) return;
    const [key, entry] = oldest.value;
    this.#delete(key, entry, 'evicted');
  }

  #evicted(key: string, entry: Entry): void {
    // quick-lru reports its whole old generation on rotation; only an entry that is still the
    // stored one for its key really leaves the cache.
    if (this.#lru.peek(key) !== entry) return;
    this.#size--;
    this.#onRemove(key, entry, 'evicted');
  }
}
