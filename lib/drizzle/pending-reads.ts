/** At most this many missed reads wait for their result at once; beyond it the oldest are forgotten (their results not stored). */
export const MAX_PENDING_READS = 10_000;

interface PendingRead {
  /** The oldest start tick among the reads of this key still running. */
  readonly tick: number;
  /** How many reads of this key are running. */
  readers: number;
}

/**
 * The reads that missed and may come back with a result to store, by cache key, with the tick
 * they started at. Two concurrent reads of one key share a record that keeps the older tick, so
 * the later one's result is judged as conservatively as the earlier one's.
 */
export class PendingReads {
  readonly #byKey = new Map<string, PendingRead>();

  /** A read of `key` missed at `tick`. */
  started(key: string, tick: number): void {
    const record = this.#byKey.get(key);
    if (record !== undefined) {
      record.readers++;
      return;
    }
    this.#byKey.set(key, { tick, readers: 1 });
    if (this.#byKey.size > MAX_PENDING_READS) {
      // A read whose query failed never comes back; forgetting the oldest keeps the map bounded.
      this.#byKey.delete(this.#byKey.keys().next().value!);
    }
  }

  /** A read of `key` came back: the tick to judge it by, or undefined when none was recorded. */
  finished(key: string): number | undefined {
    const record = this.#byKey.get(key);
    if (record === undefined) return undefined;
    if (--record.readers === 0) this.#byKey.delete(key);
    return record.tick;
  }

  /** Keys with a running read. */
  get size(): number {
    return this.#byKey.size;
  }
}
