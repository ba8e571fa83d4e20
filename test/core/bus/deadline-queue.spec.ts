import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DeadlineQueue, type Deadline } from '../../../lib/core/bus/deadline-queue.js';

class Entry implements Deadline {
  done = false;
  expired = false;
  constructor(readonly deadline: number) {}
  expire(): void {
    this.expired = true;
  }
}

describe('DeadlineQueue (one timer for every send in flight)', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  function add(queue: DeadlineQueue<Entry>): Entry {
    const entry = new Entry(queue.deadlineFromNow());
    queue.add(entry);
    return entry;
  }

  it('expires each entry at its own deadline, and never one that settled', async () => {
    const queue = new DeadlineQueue<Entry>(100);
    const first = add(queue);
    await jest.advanceTimersByTimeAsync(40);
    const second = add(queue);
    const third = add(queue);
    third.done = true;
    await jest.advanceTimersByTimeAsync(60);
    expect([first.expired, second.expired]).toEqual([true, false]);
    await jest.advanceTimersByTimeAsync(40);
    expect([second.expired, third.expired]).toEqual([true, false]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs one timer however many entries are in flight', () => {
    const queue = new DeadlineQueue<Entry>(100);
    for (let i = 0; i < 50; i++) add(queue);
    expect(jest.getTimerCount()).toBe(1);
  });

  it('expireAll expires what is pending at once and leaves no timer', () => {
    const queue = new DeadlineQueue<Entry>(100);
    const pending = add(queue);
    const settled = add(queue);
    settled.done = true;
    queue.expireAll();
    expect([pending.expired, settled.expired]).toEqual([true, false]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
