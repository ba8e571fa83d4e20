/**
 * `@hydracache/nestjs/prisma`: a Prisma Client extension caching reads in a HydraCache, tagged
 * `tableTag(table)`, and invalidating after writes commit. A separate entry point; it never
 * imports @prisma/client itself.
 */
import type { HydraCache } from '../core/hydra-cache.js';
import { resolvePrismaCacheOptions, type PrismaCacheOptions } from './prisma-cache.options.js';
import { extendClient } from './prisma-cache.extension.js';

export type { PrismaCacheOptions, PrismaReadCache } from './prisma-cache.options.js';

/**
 * The extension: `prisma.$extends(hydraCache(cache))`. Reads given a `cache` argument
 * (`{ ttl, tags, key }` or `true`) are served through `cache.getOrLoad` (single-flight,
 * stale-load safe), tagged with the tables they read; writes invalidate their tables after they
 * commit, interactive transactions included.
 */
export function hydraCache(
  cache: HydraCache,
  options: PrismaCacheOptions = {},
): (client: any) => any {
  const resolved = resolvePrismaCacheOptions(options);
  return (client) => extendClient(client, cache, resolved);
}
