import { Inject } from '@nestjs/common';
import { HydraCache } from '../core/hydra-cache.js';
import { NestCacheErrors } from './nest.errors.js';
import type { MethodSite } from './method-site.js';

/** Property under which Nest injects the cache into instances of decorated classes. */
const CACHE_PROPERTY = Symbol('hydraCache');

/**
 * Asks Nest to inject the cache into every instance of the class declaring `target`. Property
 * injection (Nest de-duplicates it per key) reaches providers, controllers and request-scoped
 * instances alike, unlike an explorer that only sees static singletons.
 */
export function injectCache(target: object): void {
  Inject(HydraCache)(target, CACHE_PROPERTY);
}

/** The cache Nest injected into `instance`, or a rejection-ready `E_NO_CACHE` error. */
export function cacheOf(instance: unknown, site: MethodSite, decorator: string): HydraCache {
  const cache = (instance as Record<symbol, unknown> | undefined)?.[CACHE_PROPERTY];
  if (cache instanceof HydraCache) return cache;
  throw NestCacheErrors.noCache(site.label, decorator);
}

/** Gives an instance built outside Nest (with `new`) the cache its decorated methods use. */
export function attachHydraCache<T extends object>(instance: T, cache: HydraCache): T {
  Object.defineProperty(instance, CACHE_PROPERTY, {
    value: cache,
    configurable: true,
    writable: true,
  });
  return instance;
}
