import { DeadlineQueue, type Deadline } from '../core/bus/deadline-queue.js';

/** A call being watched: failed with a timeout unless it settles first. */
class WatchedCall implements Deadline {
  done = false;

  constructor(
    readonly deadline: number,
    private readonly reject: (error: Error) => void,
  ) {}

  expire(): void {
    this.done = true;
    this.reject(new Error('Command timed out'));
  }
}

/**
 * Fails second-tier calls still unanswered `timeout` ms after they started, with the bus's
 * one-timer {@link DeadlineQueue} rather than ioredis's `commandTimeout`, which starts and clears a
 * timer per command (about 3 µs of a 75 µs second-tier hit). A reply that arrives after its
 * deadline is dropped, as ioredis drops it. After `close()` calls are no longer watched; those
 * still in flight settle as their connection closes them.
 */
export class CallDeadlines {
  readonly #queue: DeadlineQueue<WatchedCall>;
  #closed = false;

  constructor(timeout: number) {
    this.#queue = new DeadlineQueue(timeout);
  }

  /** Calls watched (settled ones at the front included until pruned): for leak checks. */
  get size(): number {
    return this.#queue.size;
  }

  /** `call`, or a rejection ("Command timed out") once it took longer than the timeout. */
  watch<T>(call: Promise<T>): Promise<T> {
    if (this.#closed) return call;
    return new Promise<T>((resolve, reject) => {
      const watched = new WatchedCall(this.#queue.deadlineFromNow(), reject);
      this.#queue.add(watched);
      call.then(
        (value) => {
          watched.done = true;
          this.#queue.prune();
          resolve(value);
        },
        (error: unknown) => {
          watched.done = true;
          this.#queue.prune();
          reject(error as Error);
        },
      );
    });
  }

  /** Stops watching new calls. */
  close(): void {
    this.#closed = true;
  }
}
