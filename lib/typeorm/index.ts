/**
 * `@hydracache/nestjs/typeorm`: TypeORM's query result cache kept in a HydraCache, invalidated
 * by the writes the DataSource commits. A separate entry point so that apps without TypeORM never
 * load it or node-sql-parser (optional peer dependencies). Set-up and limits: docs/typeorm.md.
 */
import type { DataSource } from 'typeorm';
import type { QueryResultCache } from './typeorm-cache.types.js';
import type { HydraCache } from '../core/hydra-cache.js';
import { HydraQueryResultCache } from './hydra-query-result-cache.js';
import { resolveQueryCacheOptions, type HydraQueryCacheOptions } from './query-cache.options.js';

export { HydraQueryResultCache } from './hydra-query-result-cache.js';
export { HydraCacheWriteSubscriber } from './write-subscriber.js';
export { ANY_TABLE_TAG } from './statement-tables.js';
export type { HydraQueryCacheOptions } from './query-cache.options.js';
export type { TypeOrmCacheErrorCode } from './typeorm.errors.js';

/** The value of a DataSource's `cache` option that {@link hydraQueryCache} returns. */
export interface HydraQueryCacheOption {
  readonly provider: (dataSource: DataSource) => QueryResultCache;
  readonly duration: number;
  readonly alwaysEnabled: boolean;
  readonly ignoreErrors: boolean;
}

/**
 * The DataSource `cache` option that keeps query results marked `cache` in `cache`, tagged with
 * `tableTag(t)` per table read, and invalidates them when a write through the DataSource commits:
 * `new DataSource({ ..., cache: hydraQueryCache(cache) })`.
 */
export function hydraQueryCache(
  cache: HydraCache,
  options: HydraQueryCacheOptions = {},
): HydraQueryCacheOption {
  const resolved = resolveQueryCacheOptions(options);
  return {
    provider: (dataSource) => new HydraQueryResultCache(dataSource, cache, resolved),
    duration: resolved.duration,
    alwaysEnabled: resolved.alwaysEnabled,
    ignoreErrors: resolved.ignoreErrors,
  };
}
