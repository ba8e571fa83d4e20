import { CacheErrors } from '../core/cache.errors.js';
import { CacheKey, CacheKeyBuilder, keyText } from '../core/cache-key.js';
import type { TagSet } from '../core/tag-set.js';

/** Tags as decorators accept them: one string, an iterable of strings, or a TagSet. */
export type TagsValue = string | Iterable<string> | TagSet;

/** A key as decorators accept it: a string, a CacheKey or a CacheKeyBuilder. */
export type KeyValue = string | CacheKey | CacheKeyBuilder;

/** A value given directly, or computed from the decorated method's arguments. */
export type FromArgs<A extends unknown[], V> = V | ((...args: A) => V);

/** Evaluates a {@link FromArgs}: calls it with the arguments when it is a function. */
export function fromArgs<A extends unknown[], V>(spec: FromArgs<A, V>, args: A): V {
  return typeof spec === 'function' ? (spec as (...a: A) => V)(...args) : spec;
}

/** Normalizes a key value to its text; throws `E_INVALID_KEY` for anything else. */
export function keyValueText(key: unknown): string {
  if (key instanceof CacheKeyBuilder) return key.buildString();
  return keyText(key);
}

/** Normalizes one key or an iterable of keys to key texts. */
export function keyValueList(keys: unknown): string[] {
  if (typeof keys === 'string' || keys instanceof CacheKey || keys instanceof CacheKeyBuilder) {
    return [keyValueText(keys)];
  }
  if (keys === null || typeof keys !== 'object' || !(Symbol.iterator in keys)) {
    throw CacheErrors.invalidKey(keys);
  }
  return Array.from(keys as Iterable<unknown>, keyValueText);
}
