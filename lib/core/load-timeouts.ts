/** What {@link withSoftTimeout} settles with when the work outlasted the timeout. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** A timer handle, as `setTimeout` returns it. */
export type Timer = ReturnType<typeof setTimeout>;

/**
 * The timeout timers of one cache. A timer a caller waits on is held: it keeps the process alive
 * until it fires, or a script whose loader never settles (and holds no handle of its own) would
 * exit with the caller's promise unsettled instead of getting its timeout. Any other timer (a
 * background refresh's) is unref'd. After {@link close} none keeps the process alive. At most one
 * entry per running timer: each leaves the set when it fires or is stopped.
 */
export class WaitTimers {
  readonly #held = new Set<Timer>();
  #closed = false;

  /** Starts an unref'd timer calling `fire` after `ms` ms, held at once when `held`. */
  start(ms: number, held: boolean, fire: () => void): Timer {
    const timer = setTimeout(() => {
      this.#held.delete(timer);
      fire();
    }, ms);
    timer.unref?.();
    if (held) this.hold(timer);
    return timer;
  }

  /** A caller now waits on `timer`: it keeps the process alive until it fires (unless closed). */
  hold(timer: Timer): void {
    if (this.#closed || this.#held.has(timer)) return;
    timer.ref?.();
    this.#held.add(timer);
  }

  /** Clears `timer` (its work settled first). */
  stop(timer: Timer): void {
    clearTimeout(timer);
    this.#held.delete(timer);
  }

  /** Lets every timer go: none keeps the process alive from now on, running or started later. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#held) timer.unref?.();
    this.#held.clear();
  }
}

/**
 * Settles as `work` does, or rejects with `onTimeout()`'s error after `ms` ms, whichever comes
 * first; also returns the timer, for {@link WaitTimers.hold} when a caller starts waiting. The
 * timer is cleared when `work` settles; `work`'s own rejection is always handled here.
 */
export function withHardTimeout<T>(
  work: Promise<T>,
  ms: number,
  timers: WaitTimers,
  held: boolean,
  onTimeout: () => Error,
): { promise: Promise<T>; timer: Timer } {
  let timer!: Timer;
  const promise = new Promise<T>((resolve, reject) => {
    timer = timers.start(ms, held, () => reject(onTimeout()));
    work.then(
      (value) => {
        timers.stop(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.stop(timer);
        reject(error as Error);
      },
    );
  });
  return { promise, timer };
}

/**
 * `work`'s value, or {@link TIMED_OUT} once `ms` ms passed first; `work`'s rejection passes
 * through if it comes first. The timer is held (a caller waits on it) and cleared when `work`
 * settles.
 */
export function withSoftTimeout<T>(
  work: Promise<T>,
  ms: number,
  timers: WaitTimers,
): Promise<T | typeof TIMED_OUT> {
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const timer = timers.start(ms, true, () => resolve(TIMED_OUT));
    work.then(
      (value) => {
        timers.stop(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.stop(timer);
        reject(error as Error);
      },
    );
  });
}
