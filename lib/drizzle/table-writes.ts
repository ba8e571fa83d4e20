/**
 * Which table tags have a write in progress (a statement or transaction not yet finished). A read
 * finishing meanwhile may have read the rows as they were before that write, and the cache only
 * learns of the write when it commits (after the read's load may already have stored), so such a
 * result is not stored. Invalidations themselves (this adapter's after commit, the bus, the change
 * feed, `invalidateTag`) are the cache's business: they supersede the read's load.
 */
export class TableWrites {
  /** Table tag -> how many unfinished writes hold it. */
  readonly #held = new Map<string, number>();

  /** True when a write to one of `tags` is in progress. */
  holdsAny(tags: readonly string[]): boolean {
    return tags.some((tag) => this.#held.has(tag));
  }

  /** A write to `tag` began: results read meanwhile are not stored until it is released. */
  hold(tag: string): void {
    this.#held.set(tag, (this.#held.get(tag) ?? 0) + 1);
  }

  /** A write to each of `tags` ended (its invalidation, if any, is already applied). */
  release(tags: Iterable<string>): void {
    for (const tag of tags) {
      const left = (this.#held.get(tag) ?? 1) - 1;
      if (left > 0) this.#held.set(tag, left);
      else this.#held.delete(tag);
    }
  }

  /** Tables with an unfinished write (bounded by the writes running at once). */
  get held(): number {
    return this.#held.size;
  }
}
