import type { QueryRunner } from 'typeorm';

/**
 * TypeORM's QueryResultCacheOptions and QueryResultCache, which its package index does not
 * export; declared here with the same shape (unchanged from 0.3 to 1.x).
 */
export interface QueryResultCacheOptions {
  /** The cache id the query set (`cache: { id }`), or undefined. */
  identifier?: string;
  /** When the result was cached (ms since the epoch). */
  time?: number;
  /** How long (ms) the result stays cached. */
  duration: number;
  /** The SQL and parameters: `<sql> -- PARAMETERS: [...]`. */
  query?: string;
  /** The rows as JSON text. */
  result?: any;
}

/** The provider TypeORM's `cache: { provider }` option returns. */
export interface QueryResultCache {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  synchronize(queryRunner?: QueryRunner): Promise<void>;
  getFromCache(
    options: QueryResultCacheOptions,
    queryRunner?: QueryRunner,
  ): Promise<QueryResultCacheOptions | undefined>;
  storeInCache(
    options: QueryResultCacheOptions,
    savedCache: QueryResultCacheOptions | undefined,
    queryRunner?: QueryRunner,
  ): Promise<void>;
  isExpired(savedCache: QueryResultCacheOptions): boolean;
  clear(queryRunner?: QueryRunner): Promise<void>;
  remove(identifiers: string[], queryRunner?: QueryRunner): Promise<void>;
}
