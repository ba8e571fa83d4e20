import { jest } from '@jest/globals';
import { HydraCache } from '../../lib/index.js';
import { ReadClock } from '../../lib/core/read-clock.js';
import { CLOCK_START, advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';

describe('ReadClock', () => {
  afterEach(() => uninstallFakeClock());

  it('follows Date.now() exactly when fake time advances (its timer fires first)', () => {
    installFakeClock();
    const clock = new ReadClock();
    expect(clock.now()).toBe(CLOCK_START);
    advance(1);
    expect(clock.now()).toBe(CLOCK_START + 1);
    advance(999);
    expect(clock.now()).toBe(CLOCK_START + 1_000);
    expect(clock.now()).toBe(CLOCK_START + 1_000);
  });

  it('takes a new reading within 64 reads even when no timer can run', () => {
    // Date is faked but timers are real: nothing fires during this synchronous test.
    jest.useFakeTimers({
      now: CLOCK_START,
      doNotFake: ['nextTick', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setImmediate'],
    });
    const clock = new ReadClock();
    expect(clock.now()).toBe(CLOCK_START);
    jest.setSystemTime(CLOCK_START + 5_000);
    const seen: number[] = [];
    for (let i = 0; i < 64; i++) seen.push(clock.now());
    expect(seen.at(-1)).toBe(CLOCK_START + 5_000);
    expect(seen.every((t) => t <= Date.now())).toBe(true);
  });

  it('keeps at most one timer pending, and never a referenced one', () => {
    installFakeClock();
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    const clock = new ReadClock();
    for (let i = 0; i < 1_000; i++) clock.now();
    expect(jest.getTimerCount()).toBe(1);
    const timers = setTimeoutSpy.mock.results.map((r) => r.value as NodeJS.Timeout);
    setTimeoutSpy.mockRestore();
    expect(timers.length).toBeGreaterThan(0);
    expect(timers.every((timer) => !timer.hasRef())).toBe(true);
  });
});

describe('expiry seen by a long run of awaited hits', () => {
  afterEach(() => uninstallFakeClock());

  it('a loop polling get() until the entry expires ends, with no timer turn in between', async () => {
    jest.useFakeTimers({
      now: CLOCK_START,
      doNotFake: ['nextTick', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setImmediate'],
    });
    const cache = HydraCache.local().defaultTtl(1_000).build();
    await cache.put('k', 'v');
    expect(await cache.get('k')).toBe('v');
    jest.setSystemTime(CLOCK_START + 1_000);
    let reads = 0;
    while ((await cache.get('k')) !== undefined) reads++;
    expect(reads).toBeLessThan(64);
    expect(cache.stats().size).toBe(0);
  });
});
