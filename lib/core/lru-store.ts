import QuickLRU from 'quick-lru';

/**
 * One stored value: its key, encoded bytes, absolute expiry and tags. The first two tags sit in
 * fields of their own and only a third or later one in an array: most entries carry one or two
 * tags, and an array of its own would cost an entry 64 bytes and invalidation an extra read.
 */
export class Entry {
  /** First tag, if any (the tag index swaps in its own equal string, shared by all entries). */
  tagA: string | undefined;
  /** Second tag, if any. */
  tagB: string | undefined;
  /** Third and later tags, if any. */
  moreTags: string[] | undefined;

  constructor(
    /** The key it is stored under. */
    readonly key: string,
    /** Encoded value (or, in no-copy mode, the value itself). */
    readonly data: unknown,
    /** `Date.now()` time at which the entry expires; `Infinity` for never. */
    readonly expiresAt: number,
    tags: readonly string[],
  ) {
    this.tagA = tags[0];
    this.tagB = tags[1];
    this.moreTags = tags.length > 2 ? tags.slice(2) : undefined;
  }
}

/** Why an entry left the store, for the listener. */
export type RemovalCause = 'evicted' | 'expired' | 'deleted' | 'replaced';

/**
 * Bounded storage over quick-lru, keeping its recency scheme and making its bound exact.
 *
 * quick-lru keeps two generations (a Map of entries written or read since the last swap, and the
 * Map before it); a read of an old-generation entry moves it to the new one, and when the new one
 * fills up it becomes the old one. Eviction order is therefore approximately LRU: an entry not
 * touched since the last swap goes before any entry that was, oldest first. On its own quick-lru
 * may hold almost twice its `maxSize`, so this store evicts the first entry in that order itself
 * before inserting a new key at capacity, which makes `maxCapacity` a hard bound. Replacing a key
 * deletes it first, so no key sits in both generations; with both in place, quick-lru's own swap
 * only ever finds an empty old generation, and the eviction hook is wired for safety.
 * Expiry is kept here (quick-lru's `maxAge` is unused), so reads of quick-lru have no side effects.
 */
export class LruStore {
  readonly #lru: QuickLRU<string, Entry>;
  readonly #capacity: number;
  readonly #onRemove: (entry: Entry, cause: RemovalCause) => void;
  #size = 0;

  constructor(capacity: number, onRemove: (entry: Entry, cause: RemovalCause) => void) {
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

  /** Stores `entry` under its key, replacing any previous one and evicting the least recent entry when full. */
  set(entry: Entry): void {
    const key = entry.key;
    const previous = this.#lru.peek(key);
    if (previous !== undefined) {
      this.#delete(key, previous, 'replaced');
    } else if (this.#size >= this.#capacity) {
      this.#evictLeastRecent();
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

  /**
   * Removes `entry`, which must be the one stored for its key (the tag index only ever holds
   * those): unlike {@link delete} it skips looking the key up first.
   */
  remove(entry: Entry): void {
    this.#delete(entry.key, entry, 'deleted');
  }

  /** Removes every entry without reporting them individually. */
  clear(): void {
    this.#lru.clear();
    this.#size = 0;
  }

  #delete(key: string, entry: Entry, cause: RemovalCause): void {
    this.#lru.delete(key);
    this.#size--;
    this.#onRemove(entry, cause);
  }

  /** Evicts the first entry in quick-lru's ascending order (old generation first). */
  #evictLeastRecent(): void {
    const first = this.#lru.entriesAscending().next();
    if (first.done === true) return;
    const [key, entry] = first.value;
    this.#delete(key, entry, 'evicted');
  }

  #evicted(key: string, entry: Entry): void {
    // quick-lru reports its whole old generation on a swap; only an entry that is still the
    // stored one for its key really leaves the cache.
    if (this.#lru.peek(key) !== entry) return;
    this.#size--;
    this.#onRemove(entry, 'evicted');
  }
}
