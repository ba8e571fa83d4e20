import { jest } from '@jest/globals';

/** Epoch the fake clock starts at (any fixed value works; a round one keeps expiry arithmetic readable). */
export const CLOCK_START = 1_000_000;

/**
 * Replaces timers and `Date` with jest's fake clock, starting at {@link CLOCK_START}. The cache reads
 * `Date.now()`, so `advance(ms)` is how a test lets time pass. Promises keep working normally.
 */
export function installFakeClock(start = CLOCK_START): void {
  jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask'] });
}

/** Restores real timers. */
export function uninstallFakeClock(): void {
  jest.useRealTimers();
}

/** Moves the fake clock forward by `ms`. */
export function advance(ms: number): void {
  jest.advanceTimersByTime(ms);
}
