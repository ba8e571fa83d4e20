import { expect } from '@jest/globals';

/** Structural equality for plain test values, across realms (jest runs code in a vm context). */
export function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const tag = Object.prototype.toString.call(a);
  if (tag !== Object.prototype.toString.call(b)) return false;
  if (tag === '[object Date]') return (a as Date).getTime() === (b as Date).getTime();
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) &&
      equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** `expect(actual).toEqual(expected)`, skipping jest's slower matcher when they are plainly equal. */
export function same(actual: unknown, expected: unknown, label?: string): void {
  if (equal(actual, expected)) return;
  expect(label === undefined ? actual : [label, actual]).toEqual(
    label === undefined ? expected : [label, expected],
  );
}
