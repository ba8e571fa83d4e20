/**
 * How long (ms) a missed read may lead its cache load before the cache gives up on it and its
 * joiners run their own query. A backstop only: the statement's end settles every ticket it led.
 */
export const LEADER_TIMEOUT_MS = 30_000;

/**
 * The miss of a Drizzle read that leads a cache load: the loader handed to `getOrLoad` returns
 * {@link promise}, and Drizzle's later `put` settles it with the query's result, which the cache
 * then stores unless an invalidation (local, bus or change feed) overtook the load. A query that
 * fails never puts: the end of its statement {@link fail}s the ticket, so joiners stop waiting.
 */
export class ReadTicket {
  /** The load's result: what Drizzle's `put` hands back. */
  readonly promise: Promise<unknown>;
  /** Set by {@link store} when the result must be handed to joiners but not stored. */
  refused = false;
  /** The load this ticket leads, settled once the cache stored (or dropped) the result. */
  loaded: Promise<unknown> = Promise.resolve();
  #resolve!: (value: unknown) => void;
  #reject!: (error: unknown) => void;
  #settled = false;

  constructor(
    /** The tags the load declared (the tables the query read, and its custom tag). */
    readonly tags: readonly string[],
    private readonly onSettled: () => void,
  ) {
    this.promise = new Promise<unknown>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A failed ticket whose load already gave up (hard timeout) has nobody listening.
    this.promise.catch(() => undefined);
  }

  /** The query's result: stored by the load unless `refused` or stale. */
  store(value: unknown, refused: boolean): void {
    this.refused = refused;
    this.#settle(() => this.#resolve(value));
  }

  /** The query failed or never put: the load fails, its joiners run their own query. */
  fail(error: unknown): void {
    this.#settle(() => this.#reject(error));
  }

  #settle(settle: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    settle();
    this.onSettled();
  }
}
