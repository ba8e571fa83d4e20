import { CacheError, type LayerCacheErrorCodes } from '../core/cache.errors.js';

declare module '../core/cache.errors.js' {
  /** The codes only the TypeORM adapter raises, added to `CacheErrorCode`. */
  interface LayerCacheErrorCodes {
    /** The DataSource's driver speaks an SQL dialect the adapter cannot parse. */
    E_TYPEORM_DIALECT: true;
    /** `node-sql-parser`, the adapter's optional peer dependency, is not installed. */
    E_TYPEORM_PARSER: true;
  }
}

/** The codes only the TypeORM adapter raises (part of `CacheErrorCode`). */
export type TypeOrmCacheErrorCode = Extract<
  keyof LayerCacheErrorCodes,
  'E_TYPEORM_DIALECT' | 'E_TYPEORM_PARSER'
>;

/** Message factories for errors raised by the TypeORM adapter. */
export const TypeOrmCacheErrors = {
  dialect: (type: unknown, supported: readonly string[]): CacheError =>
    new CacheError(
      'E_TYPEORM_DIALECT',
      `hydraQueryCache cannot read the SQL of a "${String(type)}" DataSource: it needs to know the tables ` +
        `each query reads and each write changes. Supported driver types: ${supported.join(', ')}.`,
    ),
  parser: (cause: unknown): CacheError =>
    new CacheError(
      'E_TYPEORM_PARSER',
      'hydraQueryCache parses SQL with node-sql-parser, which is not installed: run `npm install node-sql-parser`.',
      { cause },
    ),
};
