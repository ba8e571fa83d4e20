import type { EntryResilience } from './entry-resilience.js';

/** Returned by {@link LruStore.readForLoad} for an entry past its expiry or its refresh point. */
export const LAPSED: unique symbol = Symbol('lapsed');

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
  /**
   * The store's slot for this entry while it is stored, -1 otherwise: removing or expiring an
   * entry the tag index hands over then needs no lookup by key first (set by {@link LruStore}).
   */
  slot = -1;

  constructor(
    /** The key it is stored under. */
    readonly key: string,
    /** Encoded value (or, in no-copy mode, the value itself). */
    readonly data: unknown,
    /** `Date.now()` time at which the entry expires; `Infinity` for never (brought forward by an expire). */
    public expiresAt: number,
    tags: readonly string[],
    /** Grace, backoff and refresh point; undefined for an entry with neither grace nor eager refresh. */
    readonly resilience: EntryResilience | undefined = undefined,
  ) {
    this.tagA = tags[0];
    this.tagB = tags[1];
    this.moreTags = tags.length > 2 ? tags.slice(2) : undefined;
  }
}

/** Why an entry left the store, for the listener. */
export type RemovalCause = 'evicted' | 'expired' | 'deleted' | 'replaced';

/** Slots the value and expiry columns start with; they double as needed, up to the capacity. */
const FIRST_SLOTS = 64;

/**
 * Bounded storage with quick-lru's recency scheme: two generations, each a Map from key to the
 * entry's slot. Writes go to the recent generation and so do reads of an old-generation entry;
 * when the recent generation reaches the capacity it becomes the old one and a new recent one
 * starts. Eviction order is therefore approximately LRU: an entry not touched since the last swap
 * goes before any entry that was, oldest first. Unlike quick-lru, which may hold almost twice its
 * `maxSize`, the store evicts the first entry in that order before inserting a new key at
 * capacity, so `capacity` is a hard bound (and the old generation is empty whenever it swaps).
 *
 * Each entry has a slot: its {@link Entry}, its stored value and its expiry sit at that index of
 * three columns, the expiries in a Float64Array. A hit reads the key's slot from a Map, then the
 * expiry and the value from the dense columns, without touching the Entry object, which lives
 * wherever the heap put it; with many keys read in no particular order, that saves the hit a
 * cache miss. Reads and `has` remove an expired entry they find.
 */
export class LruStore {
  readonly #capacity: number;
  readonly #onRemove: (entry: Entry, cause: RemovalCause) => void;
  #recent = new Map<string, number>();
  #old = new Map<string, number>();
  #entries: (Entry | undefined)[] = [];
  #data: unknown[] = [];
  #expires: Float64Array;
  /** Slots freed by removals, reused before new ones. */
  #free: number[] = [];

  constructor(capacity: number, onRemove: (entry: Entry, cause: RemovalCause) => void) {
    this.#capacity = capacity;
    this.#onRemove = onRemove;
    this.#expires = new Float64Array(Math.min(capacity, FIRST_SLOTS));
  }

  /** Number of stored entries, expired ones not yet removed included. */
  get size(): number {
    return this.#recent.size + this.#old.size;
  }

  /**
   * The stored value (`Entry.data`) of `key`'s live entry, marking it recently used; undefined
   * when there is none (stored values are never undefined). Removes an expired entry it finds.
   */
  read(key: string, now: number): unknown {
    const slot = this.#recent.get(key);
    if (slot === undefined) return this.#readOld(key, now, false);
    if (this.#expires[slot]! > now) return this.#data[slot];
    return this.#lapsed(key, slot, now, false);
  }

  /**
   * As {@link read}, but an entry past its expiry within its grace, or past its eager-refresh
   * point, gives {@link LAPSED} (see {@link peek}) instead of its value or undefined.
   */
  readForLoad(key: string, now: number): unknown {
    const slot = this.#recent.get(key);
    if (slot === undefined) return this.#readOld(key, now, true);
    if (this.#expires[slot]! > now) return this.#data[slot];
    return this.#lapsed(key, slot, now, true);
  }

  /** The entry stored for `key`, expired or not, without touching recency or removing it. */
  peek(key: string): Entry | undefined {
    const slot = this.#find(key);
    return slot === undefined ? undefined : this.#entries[slot];
  }

  /**
   * Expires `entry` at `now`: kept for its grace from now on, or removed when it has none. True
   * when it was stored and live before; an entry no longer stored is left alone.
   */
  expire(entry: Entry, now: number): boolean {
    const slot = this.#slotOf(entry);
    if (slot < 0) return false;
    const wasLive = entry.expiresAt > now;
    const resilience = entry.resilience;
    if (resilience === undefined || resilience.grace === 0) {
      this.#remove(entry.key, slot, 'deleted');
      return wasLive;
    }
    if (wasLive) {
      // Expired whatever the reader's clock says: the read clock may lag real time a little, and
      // an expired entry must not read as live right after expireKey returns.
      entry.expiresAt = -Infinity;
      resilience.staleUntil = now + resilience.grace;
      resilience.refreshAt = Infinity;
      this.#expires[slot] = -Infinity;
    }
    return wasLive;
  }

  /** True when `key` holds a live entry; removes an expired one past its grace. Does not touch recency. */
  has(key: string, now: number): boolean {
    const slot = this.#find(key);
    if (slot === undefined) return false;
    if (this.#expires[slot]! > now) return true;
    return this.#lapsed(key, slot, now, false) !== undefined;
  }

  /** Stores `entry` under its key, replacing any previous one and evicting the least recent entry when full. */
  set(entry: Entry): void {
    const key = entry.key;
    const previous = this.#find(key);
    if (previous !== undefined) {
      this.#remove(key, previous, 'replaced');
    } else if (this.size >= this.#capacity) {
      this.#evictLeastRecent();
    }
    this.#addRecent(key, this.#place(entry));
  }

  /** Removes the entry for `key`; returns it (expired or not), or undefined when absent. */
  delete(key: string): Entry | undefined {
    const slot = this.#find(key);
    if (slot === undefined) return undefined;
    const entry = this.#entries[slot];
    this.#remove(key, slot, 'deleted');
    return entry;
  }

  /**
   * Removes `entry` (reporting it "deleted") if it is stored; an entry no longer stored, e.g. one
   * already replaced under its key, is left alone. Found through its slot, not its key.
   */
  remove(entry: Entry): void {
    const slot = this.#slotOf(entry);
    if (slot >= 0) this.#remove(entry.key, slot, 'deleted');
  }

  /** Removes every entry without reporting them individually. */
  clear(): void {
    this.#recent.clear();
    this.#old.clear();
    this.#entries = [];
    this.#data = [];
    this.#free = [];
  }

  #readOld(key: string, now: number, forLoad: boolean): unknown {
    const slot = this.#old.get(key);
    if (slot === undefined) return undefined;
    // Moved before the expiry check, as quick-lru does: the move may swap generations.
    this.#old.delete(key);
    this.#addRecent(key, slot);
    if (this.#expires[slot]! > now) return this.#data[slot];
    return this.#lapsed(key, slot, now, forLoad);
  }

  /**
   * A read of an entry whose column time has passed: its expiry, or its eager-refresh point. For
   * a load, LAPSED while it is live or within grace; otherwise its value while live, and
   * undefined after its expiry, removing it once past its grace too.
   */
  #lapsed(key: string, slot: number, now: number, forLoad: boolean): unknown {
    const entry = this.#entries[slot]!;
    const staleUntil = entry.resilience?.staleUntil ?? entry.expiresAt;
    if (staleUntil <= now) {
      this.#remove(key, slot, 'expired');
      return undefined;
    }
    if (forLoad) return LAPSED;
    return entry.expiresAt > now ? this.#data[slot] : undefined;
  }

  /** `entry`'s slot while it is the entry stored there, else -1. */
  #slotOf(entry: Entry): number {
    const slot = entry.slot;
    return slot >= 0 && this.#entries[slot] === entry ? slot : -1;
  }

  #find(key: string): number | undefined {
    return this.#recent.get(key) ?? this.#old.get(key);
  }

  #addRecent(key: string, slot: number): void {
    this.#recent.set(key, slot);
    if (this.#recent.size < this.#capacity) return;
    // The bound keeps the old generation empty here, so the swap drops nothing.
    this.#old = this.#recent;
    this.#recent = new Map();
  }

  /** Puts `entry` in a free slot and returns it; at most `capacity` slots are ever in use. */
  #place(entry: Entry): number {
    const slot = this.#free.pop() ?? this.#entries.length;
    if (slot >= this.#expires.length) {
      const grown = new Float64Array(Math.min(this.#capacity, 2 * this.#expires.length));
      grown.set(this.#expires);
      this.#expires = grown;
    }
    this.#entries[slot] = entry;
    entry.slot = slot;
    this.#data[slot] = entry.data;
    // An entry due for eager refresh leaves the fast path at that point (see #lapsed).
    this.#expires[slot] = Math.min(entry.expiresAt, entry.resilience?.refreshAt ?? Infinity);
    return slot;
  }

  #remove(key: string, slot: number, cause: RemovalCause): void {
    if (!this.#recent.delete(key)) this.#old.delete(key);
    const entry = this.#entries[slot]!;
    entry.slot = -1;
    this.#entries[slot] = undefined;
    this.#data[slot] = undefined;
    this.#free.push(slot);
    this.#onRemove(entry, cause);
  }

  /** Evicts the first entry of the old generation, or of the recent one when the old is empty. */
  #evictLeastRecent(): void {
    const generation = this.#old.size > 0 ? this.#old : this.#recent;
    const first = generation.entries().next();
    if (first.done !== true) this.#remove(first.value[0], first.value[1], 'evicted');
  }
}
