/** What the index holds: anything that knows its own tags (the store's entries). */
export interface Tagged {
  /** Tags the item is indexed under. */
  readonly tags: readonly string[];
}

/**
 * Tag bookkeeping: which stored entries carry a tag, and when a tag was last invalidated.
 *
 * Entries are indexed only while they are stored (the store reports every removal), so the index
 * never outgrows the cache. It holds the entries themselves rather than their keys: invalidating a
 * tag then removes each entry without first looking it up again by key. Invalidation times are epochs of a counter that ticks on every
 * invalidation; they only matter to loads still running, so they are recorded only while a load
 * runs and pruned once no running load started before them.
 */
export class TagIndex<E extends Tagged> {
  /** The entries of each tag: the entry itself while a tag has one (most entity tags), else a Set. */
  readonly #byTag = new Map<string, E | Set<E>>();
  readonly #invalidatedAt = new Map<string, number>();
  #epoch = 0;

  /** The current epoch; a load remembers it when it starts. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Number of distinct tags that index at least one stored key. */
  get tagCount(): number {
    return this.#byTag.size;
  }

  /** Number of tag invalidation times retained for running loads. */
  get generationCount(): number {
    return this.#invalidatedAt.size;
  }

  /** Indexes `item` under each of its tags. */
  add(item: E): void {
    for (const tag of item.tags) {
      const held = this.#byTag.get(tag);
      if (held === undefined) this.#byTag.set(tag, item);
      else if (held instanceof Set) held.add(item);
      else if (held !== item) this.#byTag.set(tag, new Set([held, item]));
    }
  }

  /** Removes `item` from each of its tags, dropping tags left empty. */
  remove(item: E): void {
    for (const tag of item.tags) {
      const held = this.#byTag.get(tag);
      if (held === undefined) continue;
      if (!(held instanceof Set)) {
        if (held === item) this.#byTag.delete(tag);
        continue;
      }
      held.delete(item);
      // Back to the compact form once one entry is left.
      if (held.size === 1) this.#byTag.set(tag, held.values().next().value as E);
      else if (held.size === 0) this.#byTag.delete(tag);
    }
  }

  /**
   * Removes `tag` from the index and returns the entries it indexed. Taking the whole set first
   * means removing those entries afterwards never touches this tag's set again.
   */
  take(tag: string): Iterable<E> {
    const held = this.#byTag.get(tag);
    if (held === undefined) return [];
    this.#byTag.delete(tag);
    return held instanceof Set ? held : [held];
  }

  /** Advances the epoch; records `tag`'s invalidation time when some load may still need it. */
  markInvalidated(tag: string | undefined, loadsRunning: boolean): number {
    this.#epoch++;
    if (tag !== undefined && loadsRunning) {
      // Re-insert so the map stays ordered by epoch, which makes pruning a walk from the front.
      this.#invalidatedAt.delete(tag);
      this.#invalidatedAt.set(tag, this.#epoch);
    }
    return this.#epoch;
  }

  /** True when any of `tags` was invalidated after `epoch`. */
  invalidatedSince(tags: readonly string[], epoch: number): boolean {
    for (const tag of tags) {
      const at = this.#invalidatedAt.get(tag);
      if (at !== undefined && at > epoch) return true;
    }
    return false;
  }

  /** Forgets invalidation times no running load can need: those at or before `oldestStart`. */
  prune(oldestStart: number | undefined): void {
    if (oldestStart === undefined) {
      this.#invalidatedAt.clear();
      return;
    }
    for (const [tag, at] of this.#invalidatedAt) {
      if (at > oldestStart) break;
      this.#invalidatedAt.delete(tag);
    }
  }

  /** Drops every indexed entry (invalidation times stay, for loads still running). */
  clear(): void {
    this.#byTag.clear();
  }
}
