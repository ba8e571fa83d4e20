import { Inject, Optional } from '@nestjs/common';
import type { HydraCache } from '../core/hydra-cache.js';
import { cacheProperty, getHydraCacheToken, isHydraCache } from './cache-tokens.js';
import type { ClassRef, MethodSite } from './method-site.js';
import { NestCacheErrors } from './nest.errors.js';

/** Metadata key on a decorated class: the names of the caches its decorators use. */
const CACHE_NAMES = 'hydracache:cache-names';

/**
 * Asks Nest to inject the cache `name` into every instance of the class declaring `target`.
 * Property injection (Nest de-duplicates it per key) reaches providers, controllers and
 * request-scoped instances alike. It is optional, so a testing module that provides the class
 * without HydraCacheModule still compiles; when the module is imported, it checks at bootstrap
 * that every cache a class uses is registered.
 */
export function injectCache(target: object, name: string | undefined): void {
  const property = cacheProperty(name);
  Inject(getHydraCacheToken(name))(target, property);
  Optional()(target, property);
  const owner = target.constructor;
  const names = new Set<string | undefined>(Reflect.getOwnMetadata(CACHE_NAMES, owner) ?? []);
  Reflect.defineMetadata(CACHE_NAMES, names.add(name), owner);
}

/** The names of the caches the decorators of `cls` (and of its base classes) use. */
export function cacheNamesOf(cls: ClassRef): (string | undefined)[] {
  const names = new Set<string | undefined>();
  for (let c: unknown = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    for (const name of Reflect.getOwnMetadata(CACHE_NAMES, c) ?? []) names.add(name);
  }
  return [...names];
}

/** The cache `name` of `instance`, if it has one. */
export function injectedCache(instance: unknown, name: string | undefined): HydraCache | undefined {
  const cache = (instance as Record<symbol, unknown> | undefined)?.[cacheProperty(name)];
  return isHydraCache(cache) ? cache : undefined;
}

/** The cache Nest injected into `instance`, or a rejection-ready `E_NO_CACHE` error. */
export function cacheOf(
  instance: unknown,
  site: MethodSite,
  decorator: string,
  name: string | undefined,
): HydraCache {
  const cache = injectedCache(instance, name);
  if (cache !== undefined) return cache;
  throw NestCacheErrors.noCache(site.label, decorator, name);
}

/**
 * Gives an instance built outside Nest (with `new`) the cache its decorated methods use; pass
 * `name` for the methods whose decorators name a cache (`@Cached({ cache: name })`).
 */
export function attachHydraCache<T extends object>(
  instance: T,
  cache: HydraCache,
  name?: string,
): T {
  Object.defineProperty(instance, cacheProperty(name), {
    value: cache,
    configurable: true,
    writable: true,
  });
  return instance;
}
