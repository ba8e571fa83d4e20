import QuickLRU from 'quick-lru';

/** One stored value: its encoded bytes, absolute expiry and tags; also a node of the recency list. */
export class Entry {
  /** Neighbours in the store's recency list (null at the ends); maintained by {@link LruStore}. */
  older: Entry | null = null;
  newer: Entry | null = null;

  constructor(
    /** The key the entry is stored under. */
    readonly key: string,
    /** Encoded value (or, in no-copy mode, the value itself). */
    readonly data: unknown,
    /** `Date.now()` time at which the entry expires; `Infinity` for never. */
    readonly expiresAt: number,
    /** Tags the entry is indexed under. */
    readonly tags: readonly string[],
  ) {}
}

/** Why an entry left the store, for the listener. */
export type RemovalCause = 'evicted' | 'expired' | 'deleted' | 'replaced';

/**
 * Bounded LRU storage over quick-lru.
 *
 * quick-lru keeps two generations of up to `maxSize` items each, so on its own it may hold almost
 * twice its `maxSize`, and its order is only approximately LRU. This store therefore keeps the
 * exact recency order itself, in a doubly linked list through the entries (a read relinks one
 * entry: no hashing, no allocation), and evicts the least recently used entry itself before
 * inserting a new key at capacity; quick-lru is only read with `peek`, so its own rotation never
 * finds a live entry in its old generation. Expiry is kept here too (quick-lru's `maxAge` is
 * unused), so reads of quick-lru have no side effects.
 */
export class LruStore {
  readonly #lru: QuickLRU<string, Entry>;
  readonly #capacity: number;
  readonly #onRemove: (key: string, entry: Entry, cause: RemovalCause) => void;
  #size = 0;
  /** Ends of the recency list: the next eviction, and the last entry written or read. */
  #oldest: Entry | null = null;
  #newest: Entry | null = null;

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
    const entry = this.#lru.peek(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#delete(key, entry, 'expired');
      return undefined;
    }
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
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
      this.#delete(key, previous, 'replaced');
    } else if (this.#size >= this.#capacity && this.#oldest !== null) {
      this.#delete(this.#oldest.key, this.#oldest, 'evicted');
    }
    this.#lru.set(key, entry);
    this.#append(entry);
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
    this.#oldest = null;
    this.#newest = null;
  }

  #delete(key: string, entry: Entry, cause: RemovalCause): void {
    this.#lru.delete(key);
    this.#unlink(entry);
    this.#size--;
    this.#onRemove(key, entry, cause);
  }

  /** Makes `entry` the most recently used. */
  #append(entry: Entry): void {
    entry.older = this.#newest;
    entry.newer = null;
    if (this.#newest === null) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }

  #unlink(entry: Entry): void {
    const { older, newer } = entry;
    if (older === null && newer === null && this.#oldest !== entry) return; // not in the list
    if (older === null) this.#oldest = newer;
    else older.newer = newer;
    if (newer === null) this.#newest = older;
    else newer.older = older;
    entry.older = null;
    entry.newer = null;
  }

  #evicted(key: string, entry: Entry): void {
    // quick-lru reports its whole old generation on rotation; only an entry that is still the
    // stored one for its key really leaves the cache.
    if (this.#lru.peek(key) !== entry) return;
    this.#unlink(entry);
    this.#size--;
    this.#onRemove(key, entry, 'evicted');
  }
}
