/** A call being watched: when it must have settled (ms, `performance.now()`), and how to fail it. */
interface Watched {
  readonly deadline: number;
  readonly reject: (error: Error) => void;
  settled: boolean;
}

/**
 * Fails calls still unanswered `timeout` ms after they started, with one timer for all of them
 * rather than one per call (ioredis's `commandTimeout` starts and clears a timer per command,
 * about 3 µs of a 75 µs second-tier hit). Every call gets the same timeout, so deadlines come in
 * the order the calls do: the queue is in deadline order and the timer only ever waits for its
 * head. A call's reply that arrives after its deadline is dropped, as ioredis does. The queue
 * holds at most the calls of the last `timeout` ms: settled ones are dropped each time the timer
 * fires.
 */
export class CallDeadlines {
  #queue: Watched[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    /** Milliseconds a call may take. */
    private readonly timeout: number,
  ) {}

  /** `call`, or a rejection ("Command timed out") once it took longer than the timeout. */
  watch<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const watched: Watched = {
        deadline: performance.now() + this.timeout,
        reject,
        settled: false,
      };
      this.#queue.push(watched);
      call.then(
        (value) => {
          watched.settled = true;
          resolve(value);
        },
        (error: unknown) => {
          watched.settled = true;
          reject(error as Error);
        },
      );
      if (this.#timer === undefined && !this.#closed) this.#arm(this.timeout);
    });
  }

  /** Calls in the queue (settled ones included until the timer next fires): for leak checks. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /** Stops the timer for good; the calls still watched settle as their connection closes them. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(ms)));
  }

  #fire(): void {
    this.#timer = undefined;
    const now = performance.now();
    this.#expire(now);
    const next = this.#queue[this.#head];
    if (next !== undefined && !this.#closed) this.#arm(next.deadline - now);
  }

  /** Drops settled calls from the head and fails those whose deadline is at or before `now`. */
  #expire(now: number): void {
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const watched = queue[head]!;
      if (!watched.settled) {
        if (watched.deadline > now) break;
        watched.settled = true;
        watched.reject(new Error('Command timed out'));
      }
      head++;
    }
    if (head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      this.#queue = queue.slice(head);
      this.#head = 0;
    } else this.#head = head;
  }
}
