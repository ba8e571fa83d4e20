/**
 * `@hydracache/nestjs/drizzle`: a Drizzle ORM cache backed by a HydraCache, invalidating after
 * commit. A separate entry point so that apps without Drizzle never load drizzle-orm (an
 * optional peer dependency).
 */
import type { HydraCache } from '../core/hydra-cache.js';
import { resolveDrizzleCacheOptions, type DrizzleCacheOptions } from './drizzle-cache.options.js';
import { HydraDrizzleCache } from './hydra-drizzle-cache.js';
import './drizzle.errors.js';

export type { DrizzleCacheOptions } from './drizzle-cache.options.js';
export { HydraDrizzleCache, type DrizzleCacheDiagnostics } from './hydra-drizzle-cache.js';
export { hydraDrizzle } from './bind-database.js';

/**
 * A Drizzle `cache` backed by `cache`: `hydraDrizzle(drizzle(pool, { cache: hydraDrizzleCache(cache) }))`.
 * Results are tagged `tableTag(table)`; writes invalidate after they commit.
 */
export function hydraDrizzleCache(
  cache: HydraCache,
  options: DrizzleCacheOptions = {},
): HydraDrizzleCache {
  return new HydraDrizzleCache(cache, resolveDrizzleCacheOptions(options));
}
