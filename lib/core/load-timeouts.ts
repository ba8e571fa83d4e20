/** What {@link withSoftTimeout} settles with when the work outlasted the timeout. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Settles as `work` does, or rejects with `onTimeout()`'s error after `ms` ms, whichever comes
 * first. The timer is unref'd (it never keeps the process alive) and cleared when `work` settles;
 * `work`'s own rejection is always handled here.
 */
export function withHardTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}

/**
 * `work`'s value, or {@link TIMED_OUT} once `ms` ms passed first; `work`'s rejection passes
 * through if it comes first. The timer is unref'd and cleared when `work` settles.
 */
export function withSoftTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}
