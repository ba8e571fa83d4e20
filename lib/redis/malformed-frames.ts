/** Shortest pause between two warnings about foreign messages on the channel, in ms. */
const WARN_EVERY_MS = 10_000;

/**
 * Counts messages on the bus's channel that are not frames at all (another program publishing
 * there) and warns about them at most every 10 s, with how many were ignored meanwhile: a flood of
 * foreign messages must not become a flood of log lines.
 */
export class MalformedFrames {
  #count = 0;
  #warnedAt = -Infinity;

  constructor(
    private readonly redisChannel: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** One more was ignored; `bytes` is its length. */
  ignored(bytes: number): void {
    this.#count++;
    const now = Date.now();
    if (now - this.#warnedAt < WARN_EVERY_MS) return;
    this.#warnedAt = now;
    const count = this.#count;
    this.#count = 0;
    this.warn(
      `ignored ${count} malformed frame(s) on ${this.redisChannel} (latest: ${bytes} bytes); ` +
        'is another program publishing on this channel?',
    );
  }
}
