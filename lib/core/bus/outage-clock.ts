/**
 * Fires `onExpired` once when an outage has lasted `ms`: started when the bus loses (or has not
 * yet had) its subscription, stopped when it comes back. Its timer is unref'd, so it never keeps
 * the process alive.
 */
export class OutageClock {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly onExpired: () => void,
  ) {}

  /** (Re)starts counting the outage from now. */
  start(): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.onExpired();
    }, this.ms);
    this.#timer.unref();
  }

  /** Stops counting; nothing fires. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
