import { CacheErrors } from './cache.errors.js';

/**
 * Checks that `value` is a plain object (`{...}` or `Object.create(null)`) whose own fields are all
 * in `known`, and returns it. A misspelt field (`tag` for `tags`) or an options value of another
 * shape (an array, a Date, a Map) would otherwise be ignored silently and, for tags, leave entries
 * that no invalidation reaches; both get `E_INVALID_OPTION` naming what was wrong instead.
 */
export function checkOptionFields<T extends object>(
  value: unknown,
  what: string,
  known: readonly string[],
): T {
  if (value === null || typeof value !== 'object' || !isPlainObject(value)) {
    throw CacheErrors.invalidOption(what, 'a plain object', value);
  }
  for (const field of Reflect.ownKeys(value)) {
    if (typeof field !== 'string' || !known.includes(field)) {
      throw CacheErrors.unknownOption(`${what}.${String(field)}`, known);
    }
  }
  return value as T;
}

/** True for `{...}` and `Object.create(null)`, false for arrays, class instances and the like. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
