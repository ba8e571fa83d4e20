import type { HydraCache } from '../core/hydra-cache.js';
import { CacheErrors } from '../core/cache.errors.js';
import { checkFunction } from '../core/cache-options.js';
import { checkOptionFields } from '../core/option-fields.js';
import { fromArgs, type FromArgs } from './decorator-values.js';
import { cacheOf } from './cache-injection.js';
import { checkCacheName } from './cache-tokens.js';
import { methodDecorator } from './method-decorator.js';

/** What to invalidate: from the arguments (checked before the method runs) and from the result. */
export interface InvalidationPlan<A extends unknown[], R, V> {
  before?: FromArgs<A, V>;
  after?: (result: R, ...args: A) => V;
  /** The cache's name; undefined for the default cache. */
  cache?: string;
}

/** Which cache a decorator acts on: the second argument of `@InvalidateTags` / `@InvalidateKeys`. */
export interface CacheChoice {
  /** The name of the cache, as registered with `HydraCacheModule.forRoot({ name })`. Default: the default cache. */
  cache?: string;
}

/** How one decorator turns its values into invalidations. */
export interface Invalidator<V> {
  readonly decorator: string;
  normalize(value: V): string[];
  invalidate(cache: HydraCache, items: string[]): Promise<unknown>;
}

/**
 * Builds a method decorator that runs the method and, only once it has succeeded, invalidates.
 * The cache and the argument-derived items are resolved before the method runs, so a missing
 * cache or a bad tag fails before any side effect; a method error propagates unchanged.
 */
export function invalidateAfter<A extends unknown[], R, V>(
  plan: InvalidationPlan<A, R, V>,
  invalidator: Invalidator<V>,
) {
  checkFunction(plan.after, 'result function');
  const cacheName = checkCacheName(plan.cache, 'cache');
  if (plan.before === undefined && plan.after === undefined) {
    throw CacheErrors.invalidOption(
      `@${invalidator.decorator}`,
      'something to invalidate',
      undefined,
    );
  }
  // Fixed values are checked now, so a bad tag (or an options object of the wrong shape, which
  // lands here as a value) fails when the class is defined rather than on the first call.
  const fixed =
    plan.before === undefined || typeof plan.before === 'function'
      ? undefined
      : invalidator.normalize(plan.before as V);
  return methodDecorator<A, R>(
    (original, site) =>
      async function invalidating(this: unknown, ...args: [...A, ...any[]]): Promise<R> {
        // Option functions take a prefix of the method's parameters; they ignore the rest.
        const optionArgs = args as unknown as A;
        const cache = cacheOf(this, site, invalidator.decorator, cacheName);
        const items =
          fixed !== undefined
            ? [...fixed]
            : plan.before === undefined
              ? []
              : invalidator.normalize(fromArgs(plan.before, optionArgs));
        const result = await original.apply(this, args);
        if (plan.after !== undefined) {
          let fromResult: string[];
          try {
            fromResult = invalidator.normalize(plan.after(result, ...optionArgs));
          } catch (error) {
            // The write has happened: what the arguments named is still stale, so invalidate it
            // before reporting the bad result-derived value.
            await invalidator.invalidate(cache, items);
            throw error;
          }
          items.push(...fromResult);
        }
        await invalidator.invalidate(cache, items);
        return result;
      },
    cacheName,
  );
}

/** Reads the optional second argument of an invalidation decorator. */
export function cacheChoice(
  choice: CacheChoice | undefined,
  decorator: string,
): string | undefined {
  if (choice === undefined) return undefined;
  return checkOptionFields<CacheChoice>(choice, `@${decorator} second argument`, ['cache']).cache;
}

/** True for the `{ ... }` options form, as opposed to a value, an iterable or a function. */
export function isOptionsForm(spec: unknown): spec is Record<string, unknown> {
  if (spec === null || typeof spec !== 'object' || Symbol.iterator in spec) return false;
  const proto = Object.getPrototypeOf(spec);
  return proto === Object.prototype || proto === null;
}
