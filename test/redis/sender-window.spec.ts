import { describe, expect, it } from '@jest/globals';
import { SenderWindow } from '../../lib/redis/sender-window.js';

describe('SenderWindow (anti-replay per sender)', () => {
  it('accepts each number of a sender once, in order or a little out of order', () => {
    const window = new SenderWindow();
    expect([1, 2, 4, 3].map((n) => window.accept('a', n))).toEqual([true, true, true, true]);
    expect([1, 2, 3, 4].map((n) => window.accept('a', n))).toEqual([false, false, false, false]);
    expect(window.accept('b', 1)).toBe(true); // senders are apart
  });

  it('refuses a number more than 32 below the highest: one connection keeps a sender in order', () => {
    const window = new SenderWindow();
    window.accept('a', 100);
    expect(window.accept('a', 68)).toBe(false);
    expect(window.accept('a', 69)).toBe(true);
    expect(window.accept('a', 200)).toBe(true);
    expect(window.accept('a', 169)).toBe(true);
    expect(window.accept('a', 100)).toBe(false);
  });

  it('is bounded: beyond maxSenders the least recently heard sender is forgotten', () => {
    const window = new SenderWindow(2);
    window.accept('a', 1);
    window.accept('b', 1);
    window.accept('a', 2); // a heard again: b is now the oldest
    window.accept('c', 1); // forgets b
    expect(window.accept('a', 2)).toBe(false);
    expect(window.accept('b', 1)).toBe(true); // unknown again
  });
});
