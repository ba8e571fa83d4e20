import type { Provider } from '@nestjs/common';
import { CacheErrors } from '../core/cache.errors.js';
import type { HydraCache } from '../core/hydra-cache.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';
import { HydraCacheManager } from './cache-manager.js';
import { checkCacheName, getHydraCacheToken } from './cache-tokens.js';

/**
 * The token `@nestjs/cache-manager` injects its cache under (`@Inject(CACHE_MANAGER)`): the same
 * string, so code written against it (and its `CacheInterceptor`) gets a {@link HydraCacheManager}.
 */
export const CACHE_MANAGER = 'CACHE_MANAGER';

/** Options of {@link provideCacheManager} and `HydraCacheManagerModule.forRoot()`. */
export interface CacheManagerOptions {
  /** The registered HydraCache to use (`HydraCacheModule.forRoot({ name })`). Default: the default cache. */
  cache?: string;
  /** TTL in ms of `set` and `wrap` calls that give none (0: never expires). Default: the cache's `defaultTtl`. */
  ttl?: number;
}

const FIELDS: FieldTable<CacheManagerOptions> = {
  cache: (value, field) => checkCacheName(value, field)!,
  ttl: (value, field) => {
    if (typeof value !== 'number' || !(value >= 0))
      throw CacheErrors.invalidOption(field, 'a number of milliseconds >= 0', value);
    return value;
  },
};

/** Checks the options; throws `E_INVALID_OPTION` naming a bad or unknown field. */
export function resolveCacheManagerOptions(options: unknown): CacheManagerOptions {
  return readOptions(options ?? {}, 'cache manager options', FIELDS);
}

/**
 * A provider of {@link CACHE_MANAGER} backed by a registered HydraCache, for a module's
 * `providers` (and `exports`); `HydraCacheManagerModule.forRoot()` registers it globally.
 */
export function provideCacheManager(options: CacheManagerOptions = {}): Provider {
  const { cache, ttl } = resolveCacheManagerOptions(options);
  return {
    provide: CACHE_MANAGER,
    useFactory: (hydra: HydraCache) => new HydraCacheManager(hydra, ttl === 0 ? Infinity : ttl),
    inject: [getHydraCacheToken(cache)],
  };
}
