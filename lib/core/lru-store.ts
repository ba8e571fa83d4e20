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
 * Bounded storage with quick-lru's recency scheme: two generations of entries, each a Map from key
 * to {@link Entry}. Writes and reads go to the recent generation; a read of an old-generation
 * entry moves it there; when the recent generation reaches the capacity it becomes the old one
 * and a new recent one starts. Eviction order is therefore approximately LRU: an entry not
 * touched since the last swap goes before any entry that was, oldest first.
 *
 * Unlike quick-lru, which may hold almost twice its `maxSize`, the store evicts the first entry
 * in that order before inserting a new key at capacity, so `capacity` is a hard bound (and the
 * old generation is always empty when a swap happens). Entries sit in the Maps directly, with no
 * wrapper, so a hit is one Map lookup and one object read. Expiry is checked against the `now`
 * the caller passes; reads and `has` remove an expired entry they find.
 */
export class LruStore {
  readonly #capacity: number;
  readonly #onRemove: (entry: Entry, cause: RemovalCause) => void;
  #recent = new Map<string, Entry>();
  #old = new Map<string, Entry>();

  constructor(capacity: number, onRemove: (entry: Entry, cause: RemovalCause) => void) {
    this.#capacity = capacity;
    this.#onRemove = onRemove;
  }

  /** Number of stored entries, expired ones not yet removed included. */
  get size(): number {
    return this.#recent.size + this.#old.size;
  }

  /** The live entry for `key`, marking it recently used; removes and skips an expired one. */
  get(key: string, now: number): Entry | undefined {
    const entry = this.#recent.get(key);
    if (entry !== undefined) {
      if (entry.expiresAt > now) return entry;
      this.#recent.delete(key);
      this.#onRemove(entry, 'expired');
      return undefined;
    }
    return this.#getOld(key, now);
  }

  /** True when `key` holds a live entry; removes an expired one. Does not touch recency. */
  has(key: string, now: number): boolean {
    const entry = this.#find(key);
    if (entry === undefined) return false;
    if (entry.expiresAt > now) return true;
    this.#delete(entry, 'expired');
    return false;
  }

  /** Stores `entry` under its key, replacing any previous one and evicting the least recent entry when full. */
  set(entry: Entry): void {
    const previous = this.#find(entry.key);
    if (previous !== undefined) {
      this.#delete(previous, 'replaced');
    } else if (this.size >= this.#capacity) {
      this.#evictLeastRecent();
    }
    this.#addRecent(entry);
  }

  /** Removes the entry for `key`; returns it (expired or not), or undefined when absent. */
  delete(key: string): Entry | undefined {
    const entry = this.#find(key);
    if (entry !== undefined) this.#delete(entry, 'deleted');
    return entry;
  }

  /**
   * Removes `entry`, which must be the one stored for its key (the tag index only ever holds
   * those): unlike {@link delete} it skips looking the key up first.
   */
  remove(entry: Entry): void {
    this.#delete(entry, 'deleted');
  }

  /** Removes every entry without reporting them individually. */
  clear(): void {
    this.#recent.clear();
    this.#old.clear();
  }

  #getOld(key: string, now: number): Entry | undefined {
    const entry = this.#old.get(key);
    if (entry === undefined) return undefined;
    // Moved before the expiry check, as quick-lru does: the move may swap generations.
    this.#old.delete(key);
    this.#addRecent(entry);
    if (entry.expiresAt > now) return entry;
    this.#delete(entry, 'expired');
    return undefined;
  }

  #find(key: string): Entry | undefined {
    return this.#recent.get(key) ?? this.#old.get(key);
  }

  #addRecent(entry: Entry): void {
    this.#recent.set(entry.key, entry);
    if (this.#recent.size < this.#capacity) return;
    // The bound keeps the old generation empty here, so the swap drops nothing.
    this.#old = this.#recent;
    this.#recent = new Map();
  }

  #delete(entry: Entry, cause: RemovalCause): void {
    if (!this.#recent.delete(entry.key)) this.#old.delete(entry.key);
    this.#onRemove(entry, cause);
  }

  /** Evicts the first entry of the old generation, or of the recent one when the old is empty. */
  #evictLeastRecent(): void {
    const generation = this.#old.size > 0 ? this.#old : this.#recent;
    const first = generation.values().next();
    if (first.done !== true) this.#delete(first.value, 'evicted');
  }
}
