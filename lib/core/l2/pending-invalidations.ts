import type { SecondTier } from './second-tier.js';

/** At most this many tags and keys wait for replay; beyond it they collapse into one flush. */
export const MAX_PENDING_INVALIDATIONS = 1_024;

/**
 * Invalidations the second tier missed (it could not be reached), kept until they are replayed.
 * Bounded: past {@link MAX_PENDING_INVALIDATIONS} names, or on a flush, the record becomes a
 * flush of the whole tier, which covers every one of them.
 */
export class PendingInvalidations {
  #tags = new Set<string>();
  #keys = new Set<string>();
  #flush = false;

  /** Tags and keys waiting (a flush counts as one). */
  get size(): number {
    return this.#flush ? 1 : this.#tags.size + this.#keys.size;
  }

  addTags(tags: readonly string[]): void {
    for (const tag of tags) this.#tags.add(tag);
    this.#bound();
  }

  addKeys(keys: readonly string[]): void {
    for (const key of keys) this.#keys.add(key);
    this.#bound();
  }

  addFlush(): void {
    this.#flush = true;
    this.#tags.clear();
    this.#keys.clear();
  }

  /**
   * Replays every recorded invalidation on `tier`; what was recorded meanwhile stays for the next
   * replay. Rejects (keeping the record) when the tier still cannot be reached.
   */
  async replay(tier: SecondTier): Promise<void> {
    const flush = this.#flush;
    const tags = [...this.#tags];
    const keys = [...this.#keys];
    if (flush) await tier.flush();
    else {
      if (tags.length > 0) await tier.invalidateTags(tags);
      if (keys.length > 0) await tier.invalidateKeys(keys);
    }
    // Only what was replayed leaves the record.
    if (flush) this.#flush = false;
    for (const tag of tags) this.#tags.delete(tag);
    for (const key of keys) this.#keys.delete(key);
  }

  #bound(): void {
    if (this.#tags.size + this.#keys.size > MAX_PENDING_INVALIDATIONS) this.addFlush();
  }
}
