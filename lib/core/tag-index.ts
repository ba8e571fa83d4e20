/**
 * Tag bookkeeping: which stored keys carry a tag, and when a tag was last invalidated.
 *
 * Keys are indexed only while their entry is stored (the store reports every removal), so the
 * index never outgrows the cache. Invalidation times are epochs of a counter that ticks on every
 * invalidation; they only matter to loads still running, so they are recorded only while a load
 * runs and pruned once no running load started before them.
 */
export class TagIndex {
  /** The keys of each tag: the key itself while a tag has one (most entity tags), else a Set. */
  readonly #keysByTag = new Map<string, string | Set<string>>();
  readonly #invalidatedAt = new Map<string, number>();
  #epoch = 0;

  /** The current epoch; a load remembers it when it starts. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Number of distinct tags that index at least one stored key. */
  get tagCount(): number {
    return this.#keysByTag.size;
  }

  /** Number of tag invalidation times retained for running loads. */
  get generationCount(): number {
    return this.#invalidatedAt.size;
  }

  /** Indexes `key` under each of `tags`. */
  add(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      if (keys === undefined) this.#keysByTag.set(tag, key);
      else if (typeof keys !== 'string') keys.add(key);
      else if (keys !== key) this.#keysByTag.set(tag, new Set([keys, key]));
    }
  }

  /** Removes `key` from each of `tags`, dropping tags left empty. */
  remove(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      if (keys === undefined) continue;
      if (typeof keys === 'string') {
        if (keys === key) this.#keysByTag.delete(tag);
        continue;
      }
      keys.delete(key);
      // Back to the compact form once one key is left.
      if (keys.size === 1) this.#keysByTag.set(tag, keys.values().next().value as string);
      else if (keys.size === 0) this.#keysByTag.delete(tag);
    }
  }

  /**
   * Removes `tag` from the index and returns the keys it indexed. Taking the whole set first means
   * removing those keys afterwards never touches this tag's set again, one delete per key saved.
   */
  take(tag: string): Iterable<string> {
    const keys = this.#keysByTag.get(tag);
    if (keys === undefined) return [];
    this.#keysByTag.delete(tag);
    return typeof keys === 'string' ? [keys] : keys;
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

  /** Drops every indexed key (invalidation times stay, for loads still running). */
  clear(): void {
    this.#keysByTag.clear();
  }
}
