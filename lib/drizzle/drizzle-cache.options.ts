import { CacheErrors } from '../core/cache.errors.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';

/** Options of {@link hydraDrizzleCache}. */
export interface DrizzleCacheOptions {
  /** Cache every select (Drizzle's `all` strategy) instead of only those marked `.$withCache()`. Default false. */
  readonly global?: boolean;
  /** Time to live of a cached result in ms, unless the query's `.$withCache({ config })` sets one. Default: the cache's `defaultTtl`. */
  readonly ttl?: number;
  /** Prefix of every key this adapter stores. Default `'drizzle:'`. */
  readonly prefix?: string;
}

/** The options with their defaults filled in. */
export interface ResolvedDrizzleCacheOptions {
  readonly global: boolean;
  readonly ttl: number | undefined;
  readonly prefix: string;
}

const FIELDS: FieldTable<DrizzleCacheOptions> = {
  global: (value, field) => {
    if (typeof value !== 'boolean') throw CacheErrors.invalidOption(field, 'a boolean', value);
    return value;
  },
  ttl: (value, field) => {
    if (typeof value !== 'number' || !(value > 0))
      throw CacheErrors.invalidOption(field, 'a positive number of ms', value);
    return value;
  },
  prefix: (value, field) => {
    if (typeof value !== 'string') throw CacheErrors.invalidOption(field, 'a string', value);
    return value;
  },
};

/** Checks `options` and fills in the defaults. */
export function resolveDrizzleCacheOptions(options: unknown): ResolvedDrizzleCacheOptions {
  const read = readOptions(options ?? {}, 'hydraDrizzleCache options', FIELDS);
  return { global: read.global ?? false, ttl: read.ttl, prefix: read.prefix ?? 'drizzle:' };
}
