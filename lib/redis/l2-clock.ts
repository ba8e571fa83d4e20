/** How long (ms) one reading of the Redis clock is trusted before it is taken again. */
const RESYNC_AFTER = 10_000;

/**
 * The Redis server's clock as this process estimates it, to tell how long an entry read by MGET
 * has left: the entry's end is in the server's clock (its PEXPIRE's own instant), so only that
 * clock is ever compared with itself. This process's wall clock is never used; its monotonic
 * clock (`performance.now()`) only measures the time since the last reading. A reading is taken
 * from every lookup script's reply and by `read` when the last one is older than 10 s.
 */
export class RedisClock {
  /** Server ms minus `performance.now()` at the last reading; undefined before the first. */
  #offset: number | undefined;
  #readAt = 0;
  #reading: Promise<void> | undefined;

  constructor(private readonly read: () => Promise<number>) {}

  /** The server's time now (ms), or undefined until a first reading arrived. */
  now(): number | undefined {
    const local = performance.now();
    if (local - this.#readAt > RESYNC_AFTER) this.sync();
    return this.#offset === undefined ? undefined : local + this.#offset;
  }

  /** Records a reading of the server's time (ms) just received. */
  observe(serverMs: number): void {
    this.#readAt = performance.now();
    this.#offset = serverMs - this.#readAt;
  }

  /** Takes a reading in the background (one at a time); a failure leaves the last one in place. */
  sync(): void {
    if (this.#reading !== undefined) return;
    this.#reading = Promise.resolve()
      .then(() => this.read())
      .then(
        (ms) => this.observe(ms),
        () => undefined,
      )
      .finally(() => {
        this.#reading = undefined;
      });
  }
}
