import { CacheErrors } from '../core/cache.errors.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';

/** Options of the `hydraCache(cache, options)` Prisma extension. */
export interface PrismaCacheOptions {
  /** TTL in ms of cached reads that give none. Default: the cache's `defaultTtl`. */
  readonly ttl?: number;
  /** Prefix of the keys built from a query (not of a `key` given per call). Default `'prisma:'`. */
  readonly prefix?: string;
}

/** The `cache` argument of a cached read: `prisma.user.findMany({ where, cache: { ttl: 60_000 } })`. */
export interface PrismaReadCache {
  /** TTL in ms. Default: the extension's `ttl`, else the cache's `defaultTtl`. */
  readonly ttl?: number;
  /** Tags besides the table tags derived from the query (`table:users`...). */
  readonly tags?: readonly string[];
  /** The cache key. Default: built from the model, the operation and the arguments. */
  readonly key?: string;
}

const positiveMs = (value: unknown, field: string): number => {
  if (typeof value !== 'number' || !(value > 0))
    throw CacheErrors.invalidOption(field, 'a positive number of ms', value);
  return value;
};

const OPTION_FIELDS: FieldTable<PrismaCacheOptions> = {
  ttl: positiveMs,
  prefix: (value, field) => {
    if (typeof value !== 'string') throw CacheErrors.invalidOption(field, 'a string', value);
    return value;
  },
};

const READ_FIELDS: FieldTable<PrismaReadCache> = {
  ttl: positiveMs,
  tags: (value, field) => {
    if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string'))
      throw CacheErrors.invalidOption(field, 'an array of strings', value);
    return value as string[];
  },
  key: (value, field) => {
    if (typeof value !== 'string' || value === '')
      throw CacheErrors.invalidOption(field, 'a non-empty string', value);
    return value;
  },
};

/** Checks the extension's options and fills in the defaults. */
export function resolvePrismaCacheOptions(options: unknown): { ttl?: number; prefix: string } {
  const read = readOptions(options ?? {}, 'hydraCache options', OPTION_FIELDS);
  return { ttl: read.ttl, prefix: read.prefix ?? 'prisma:' };
}

/** Checks a read's `cache` argument (`true` means "with the defaults"). */
export function resolveReadCache(value: unknown): PrismaReadCache {
  if (value === true) return {};
  return readOptions(value, 'the cache argument', READ_FIELDS);
}
