import { CacheErrors } from '../core/cache.errors.js';
import {
  RESILIENCE_FIELDS,
  checkFunction,
  checkTtl,
  type LoadOptionsInit,
  type ResilienceOptions,
} from '../core/cache-options.js';
import type { HydraCache } from '../core/hydra-cache.js';
import { checkOptionFields } from '../core/option-fields.js';
import { tagList } from '../core/tag-set.js';
import {
  fromArgs,
  keyValueText,
  type FromArgs,
  type KeyValue,
  type TagsValue,
} from './decorator-values.js';
import { defaultKey } from './default-key.js';
import { cacheOf } from './cache-injection.js';
import { checkCacheName } from './cache-tokens.js';
import { methodDecorator } from './method-decorator.js';
import { siteOf, type MethodSite } from './method-site.js';

/** Options of {@link Cached}. `A` is the method's parameter list, `R` its resolved result. */
export interface CachedOptions<A extends unknown[] = any[], R = any> {
  /** The key, or a function of the method's arguments. Default: `Class:method:(canonical args)`. */
  key?: FromArgs<A, KeyValue>;
  /** Time to live in ms (> 0 or `Infinity`), or a function of the result and the arguments. Default: the module's `defaultTtl`. */
  ttl?: number | ((result: R, ...args: A) => number);
  /** Invalidation tags, or a function of the method's arguments. Default: none. */
  tags?: FromArgs<A, TagsValue>;
  /** Tags known only from the result, given the result then the arguments. Same stale-load safety as `tags`. */
  resultTags?: (result: R, ...args: A) => TagsValue;
  /** Prefix for the key, as in `cache.typed(namespace)`: the key becomes `namespace:key`. Default: none. */
  namespace?: string;
  /** Return true to hand a result back without caching it, e.g. `(user) => user === null`; any truthy answer counts as true. Default: cache every result. */
  unless?: (result: R, ...args: A) => boolean;
  /** The name of the cache to use, as registered with `HydraCacheModule.forRoot({ name })`. Default: the default cache. */
  cache?: string;
  /** `false` keeps results out of the cache's second tier (`l2` setting): this instance only. Default: true. */
  l2?: boolean;
  /** ms (>= 0) past the TTL a result may be served stale. Default: the cache's `grace` (0). */
  grace?: number;
  /** ms (>= 0) the method is not called again after fail-safe served a stale result. Default: the cache's (10 000). */
  failSafeBackoff?: number;
  /** Soft timeout (ms, >= 0) before a stale result is served while the method runs on. Default: the cache's (0). */
  timeout?: number;
  /** Hard timeout (ms, > 0): `E_LOAD_TIMEOUT`, or the stale result within grace. Default: the cache's (none). */
  hardTimeout?: number;
  /** Fraction of the TTL (0 < f < 1) after which a hit refreshes the result in the background. Default: none. */
  refreshAhead?: number;
  /** Fraction (0 <= f < 1) by which each stored TTL is shortened at random. Default: the cache's (0). */
  ttlJitter?: number;
}

/**
 * Gives an async method get-or-load semantics through the injected {@link HydraCache}: a hit
 * returns the cached copy; a miss runs the method once for all concurrent callers (single-flight)
 * and caches its result unless a tag or the key was invalidated meanwhile.
 */
export function Cached<A extends unknown[] = any[], R = any>(options: CachedOptions<A, R> = {}) {
  const plan = planCached(options);
  return methodDecorator<A, R>((original, site) => {
    // Not async: a rejection-ready result without the extra promise an async wrapper adds on
    // every hit. Every synchronous failure is still turned into a rejection.
    const cached = function (this: unknown, ...args: [...A, ...any[]]): Promise<R> {
      try {
        // Option functions take a prefix of the method's parameters; they ignore the rest.
        const optionArgs = args as unknown as A;
        const cache = cacheOf(this, site, 'Cached', plan.cacheName);
        const key = plan.key(cache, this, site, optionArgs);
        if (isSuperCallForSameKey(this, site.propertyKey, cached, cache, key, args)) {
          // The override's own load of this very key is what called us: caching this call too
          // would join that load and wait on itself. Its result is cached by the override.
          return original.apply(this, args);
        }
        return cache.getOrLoad<R>(key, plan.loadOptions(optionArgs), () =>
          original.apply(this, args),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    };
    cachedWrappers.set(cached, (instance, args) => {
      const cache = cacheOf(instance, site, 'Cached', plan.cacheName);
      return { cache, key: plan.key(cache, instance, site, args as A) };
    });
    return cached;
  }, plan.cacheName);
}

/** Where a `@Cached` method would cache a call: its cache and key for these arguments. */
type CachedCallKey = (instance: unknown, args: unknown[]) => { cache: HydraCache; key: string };

/** Every method `@Cached` has installed, with how it keys a call, to recognise a cached override. */
const cachedWrappers = new WeakMap<object, CachedCallKey>();

/**
 * True when `wrapper` runs through `super` from an override of the same method that is itself
 * `@Cached` (a generic CRUD base class with a cached subclass) and would cache this call under the
 * same cache and key: the override's load is then the one running, and joining it would wait on
 * itself. With a key of its own, the override's result and super's are both cached. One property
 * read on every call; the override's key is only computed for overridden methods.
 */
function isSuperCallForSameKey(
  instance: unknown,
  propertyKey: string | symbol,
  wrapper: object,
  cache: HydraCache,
  key: string,
  args: unknown[],
): boolean {
  if (instance === null || typeof instance !== 'object') return false;
  const dispatched = (instance as Record<string | symbol, unknown>)[propertyKey];
  if (dispatched === wrapper || typeof dispatched !== 'function') return false;
  const keyOf = cachedWrappers.get(dispatched);
  if (keyOf === undefined) return false;
  try {
    const override = keyOf(instance, args);
    return override.cache === cache && override.key === key;
  } catch {
    // The override's key function refuses super's arguments: it cannot be loading this key.
    return false;
  }
}

/** Every field {@link CachedOptions} has; any other (`tag`, `ttls`, `keys`) is refused. */
const CACHED_FIELDS = [
  'key',
  'ttl',
  'tags',
  'resultTags',
  'namespace',
  'unless',
  'cache',
  'l2',
  ...(Object.keys(RESILIENCE_FIELDS) as (keyof ResilienceOptions)[]),
];

interface CachedPlan<A extends unknown[], R> {
  readonly cacheName: string | undefined;
  key(cache: HydraCache, instance: unknown, site: MethodSite, args: A): string;
  loadOptions(args: A): LoadOptionsInit<R>;
}

/** Validates the options once, at decoration time, and precomputes what does not vary per call. */
function planCached<A extends unknown[], R>(options: CachedOptions<A, R>): CachedPlan<A, R> {
  const { key, ttl, tags, resultTags, namespace, unless, cache, l2, ...resilience } =
    checkOptionFields<CachedOptions<A, R>>(options, '@Cached', CACHED_FIELDS);
  if (ttl !== undefined && typeof ttl !== 'function') checkTtl(ttl, 'ttl');
  for (const [field, value] of Object.entries(resilience)) {
    if (value !== undefined) RESILIENCE_FIELDS[field as keyof ResilienceOptions](value, field);
  }
  if (namespace !== undefined && typeof namespace !== 'string') {
    throw CacheErrors.invalidOption('namespace', 'a string', namespace);
  }
  checkFunction(resultTags, 'resultTags');
  checkFunction(unless, 'unless');
  if (l2 !== undefined && typeof l2 !== 'boolean') {
    throw CacheErrors.invalidOption('l2', 'true or false', l2);
  }
  const fixedTags = typeof tags === 'function' ? undefined : tagList(tags ?? [], 'tags');
  const fixedTtl = typeof ttl === 'function' ? undefined : ttl;
  const fixedOptions: LoadOptionsInit<R> = { ttl: fixedTtl, tags: fixedTags, l2, ...resilience };
  const perCall =
    fixedTags === undefined ||
    resultTags !== undefined ||
    unless !== undefined ||
    typeof ttl === 'function';
  const prefix = namespace === undefined ? '' : `${namespace}:`;

  return {
    cacheName: checkCacheName(cache, 'cache'),
    key: (cache, instance, site, args) => {
      if (key !== undefined) return prefix + keyValueText(fromArgs(key, args));
      return defaultKey(cache, prefix, siteOf(instance, site), args);
    },
    loadOptions: (args) =>
      perCall
        ? {
            ...resilience,
            l2,
            ttl: typeof ttl === 'function' ? (result: R) => ttl(result, ...args) : ttl,
            tags: fixedTags ?? tagList(fromArgs(tags!, args), 'tags'),
            resultTags: resultTags && ((result: R) => resultTags(result, ...args)),
            unless: unless && ((result: R) => unless(result, ...args)),
          }
        : fixedOptions,
  };
}
