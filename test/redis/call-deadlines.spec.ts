import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CallDeadlines } from '../../lib/redis/call-deadlines.js';
import { deferred } from '../support/deferred.js';

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Lets settled promises run their reactions. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('deadlines of second-tier calls', () => {
  it('a call unanswered after the timeout fails with a timeout; answered ones keep their answer', async () => {
    const deadlines = new CallDeadlines(50);
    const hung = deferred<string>();
    const answered = deferred<string>();
    const failing = deferred<string>();
    const outcomes: string[] = [];
    const record = (name: string) => (p: Promise<string>) =>
      p.then(
        (v) => outcomes.push(`${name}: ${v}`),
        (e: Error) => outcomes.push(`${name}: ${e.message}`),
      );
    const all = [
      record('hung')(deadlines.watch(hung.promise)),
      record('answered')(deadlines.watch(answered.promise)),
      record('failing')(deadlines.watch(failing.promise)),
    ];
    answered.resolve('ok');
    failing.reject(new Error('ERR boom'));
    await flush();
    jest.advanceTimersByTime(49);
    await flush();
    expect(outcomes).toEqual(['answered: ok', 'failing: ERR boom']);
    jest.advanceTimersByTime(1);
    await Promise.all(all);
    expect(outcomes).toEqual(['answered: ok', 'failing: ERR boom', 'hung: Command timed out']);
    hung.resolve('late'); // dropped, as ioredis drops a reply after its timeout
    await flush();
    expect(outcomes).toHaveLength(3);
  });

  it('each call gets its own full timeout, with one timer for all of them', async () => {
    const deadlines = new CallDeadlines(50);
    const first = deadlines.watch(new Promise<never>(() => undefined)).catch((e: Error) => e);
    jest.advanceTimersByTime(30);
    let secondFailed = false;
    const second = deadlines.watch(new Promise<never>(() => undefined)).catch(() => {
      secondFailed = true;
    });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(20);
    expect(await first).toEqual(new Error('Command timed out'));
    await flush();
    expect(secondFailed).toBe(false);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(30);
    await second;
    expect(secondFailed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps only the calls still in flight, and no timer once idle', async () => {
    const deadlines = new CallDeadlines(50);
    for (let i = 0; i < 10_000; i++) await deadlines.watch(Promise.resolve(i));
    expect(deadlines.size).toBe(0);
    const hung = deadlines.watch(new Promise<never>(() => undefined)).catch(() => undefined);
    for (let i = 0; i < 100; i++) await deadlines.watch(Promise.resolve(i));
    expect(deadlines.size).toBe(101); // the hung call holds the ones behind it until it expires
    jest.advanceTimersByTime(50);
    await hung;
    expect(deadlines.size).toBe(0);
    jest.advanceTimersByTime(50);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('after close, calls are no longer watched', async () => {
    const deadlines = new CallDeadlines(50);
    deadlines.close();
    const late = deferred<string>();
    const watched = deadlines.watch(late.promise);
    jest.advanceTimersByTime(1_000);
    late.resolve('answer');
    expect(await watched).toBe('answer');
    expect(jest.getTimerCount()).toBe(0);
  });
});
