/** Something waiting for a deadline: `expire` runs unless `done` is set first. */
export interface Deadline {
  /** `performance.now()` time, in ms, when it expires. */
  readonly deadline: number;
  /** Set once it settled on its own; the queue then drops it without calling `expire`. */
  readonly done: boolean;
  /** Called once when the deadline passed and it is not done. */
  expire(): void;
}

/**
 * One timer for every send in flight, instead of a `setTimeout` per send (the publisher's hot
 * path). Every entry waits the same `timeoutMs`, so entries expire in the order they were added:
 * the timer only ever waits for the oldest entry still pending. Its timer is unref'd. Deadlines
 * are on the monotonic clock: a wall clock stepped by NTP (or patched) neither fires nor holds them.
 */
export class DeadlineQueue<T extends Deadline> {
  #entries: T[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly timeoutMs: number) {}

  /** Entries watched, settled ones at the front included until pruned: for leak checks. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** The deadline of an entry added now. */
  deadlineFromNow(): number {
    return performance.now() + this.timeoutMs;
  }

  /** Watches `entry`, which must have been given {@link deadlineFromNow} just now. */
  add(entry: T): void {
    this.#entries.push(entry);
    if (this.#timer === undefined) this.#arm(this.timeoutMs);
  }

  /**
   * Drops the settled entries at the front (called when an entry settles). Sends settle mostly in
   * order, so this keeps the queue as short as what is really in flight, and a settled send is
   * garbage at once rather than held until the timer fires.
   */
  prune(): void {
    while (this.#head < this.#entries.length && this.#entries[this.#head]!.done) this.#head++;
    if (this.#head === this.#entries.length) {
      this.#entries.length = 0;
      this.#head = 0;
    }
  }

  /** Expires every pending entry now and stops the timer (closing). */
  expireAll(): void {
    this.#clear();
    const entries = this.#entries.slice(this.#head);
    this.#entries = [];
    this.#head = 0;
    for (const entry of entries) if (!entry.done) entry.expire();
  }

  #fire(): void {
    this.#timer = undefined;
    const now = performance.now();
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head]!;
      if (!entry.done && entry.deadline > now) break;
      this.#head++;
      if (!entry.done) entry.expire();
    }
    this.prune();
    if (this.#head > 1024) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    const next = this.#entries[this.#head];
    if (next) this.#arm(Math.max(0, next.deadline - now));
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#fire(), ms);
    this.#timer.unref();
  }

  #clear(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
