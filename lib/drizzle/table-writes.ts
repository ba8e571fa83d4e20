/** At most this many tables keep an invalidation stamp; beyond it, every read started before counts as overtaken. */
export const MAX_STAMPED_TABLES = 10_000;

/**
 * When each table tag was last invalidated, and which ones have a write in progress (a statement
 * or transaction not yet finished): the two facts a read's result is checked against before it is
 * stored. A read records {@link started} when it misses; its result may be stored only if no table
 * it read was invalidated since and none has an unfinished write ({@link mayStore}).
 */
export class TableWrites {
  /** Ticks once per invalidation; a read remembers its value when it starts. */
  #clock = 0;
  /** Reads started before this tick are refused: the stamps they would be checked against were dropped. */
  #floor = 0;
  readonly #stamps = new Map<string, number>();
  /** Table tag -> how many unfinished writes hold it. */
  readonly #held = new Map<string, number>();

  /** The tick a read starting now records. */
  started(): number {
    return this.#clock;
  }

  /** True when a read that started at `tick` and read `tags` may store its result now. */
  mayStore(tags: readonly string[], tick: number): boolean {
    if (tick < this.#floor) return false;
    for (const tag of tags) {
      if (this.#held.has(tag)) return false;
      if ((this.#stamps.get(tag) ?? -1) > tick) return false;
    }
    return true;
  }

  /** A write to `tag` began: results read meanwhile are not stored until it is released. */
  hold(tag: string): void {
    this.#held.set(tag, (this.#held.get(tag) ?? 0) + 1);
  }

  /** A write to each of `tags` ended; `invalidated` stamps them first (it committed, or may have). */
  release(tags: Iterable<string>, invalidated: boolean): void {
    if (invalidated) this.invalidated(tags);
    for (const tag of tags) {
      const left = (this.#held.get(tag) ?? 1) - 1;
      if (left > 0) this.#held.set(tag, left);
      else this.#held.delete(tag);
    }
  }

  /** `tags` were invalidated now: reads that started before must not store their results. */
  invalidated(tags: Iterable<string>): void {
    const tick = ++this.#clock;
    for (const tag of tags) {
      this.#stamps.delete(tag);
      this.#stamps.set(tag, tick);
    }
    if (this.#stamps.size > MAX_STAMPED_TABLES) {
      // Bounded: forget every stamp and refuse every read already running instead.
      this.#stamps.clear();
      this.#floor = tick;
    }
  }

  /** Tables with a stamp (bounded by {@link MAX_STAMPED_TABLES}). */
  get stamped(): number {
    return this.#stamps.size;
  }

  /** Tables with an unfinished write. */
  get held(): number {
    return this.#held.size;
  }
}
