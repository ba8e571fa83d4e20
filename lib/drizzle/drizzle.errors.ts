import { CacheError } from '../core/cache.errors.js';

declare module '../core/cache.errors.js' {
  /** The codes only the Drizzle adapter raises, added to `CacheErrorCode`. */
  interface LayerCacheErrorCodes {
    /** The Drizzle cache was used by a database that `hydraDrizzle(db)` did not bind. */
    E_DRIZZLE_UNBOUND: true;
  }
}

/** Message factories for errors raised by the Drizzle adapter. */
export const DrizzleCacheErrors = {
  unbound: (): CacheError =>
    new CacheError(
      'E_DRIZZLE_UNBOUND',
      'The HydraCache Drizzle cache is used by a database it was not bound to, so it cannot tell when a write commits. ' +
        'Wrap the database once: `const db = hydraDrizzle(drizzle(pool, { cache: hydraDrizzleCache(cache) }))`.',
    ),
  notOurs: (actual: string): CacheError =>
    new CacheError(
      'E_INVALID_OPTION',
      `hydraDrizzle(db) needs a Drizzle database created with { cache: hydraDrizzleCache(cache) }; its cache is ${actual}.`,
    ),
  unsupportedDriver: (): CacheError =>
    new CacheError(
      'E_INVALID_OPTION',
      'hydraDrizzle(db) needs a Drizzle database whose session has prepareQuery and transaction (the pg-core, mysql-core and sqlite-core drivers).',
    ),
};
