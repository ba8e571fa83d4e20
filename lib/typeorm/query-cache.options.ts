import { CacheErrors } from '../core/cache.errors.js';
import { checkTtl } from '../core/cache-options.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';
import { checkCount, checkName } from '../core/hydra-cache.settings.js';

/** Options of {@link hydraQueryCache}. */
export interface HydraQueryCacheOptions {
  /** How long (ms) a result marked `cache: true` stays cached when the query names no duration. Default: 1000 (TypeORM's). */
  duration?: number;
  /** Cache every find and QueryBuilder query unless it says `cache: false` (TypeORM's `alwaysEnabled`). Default: false. */
  alwaysEnabled?: boolean;
  /** Run the query uncached instead of failing when the cache fails (TypeORM's `ignoreErrors`). Default: false. */
  ignoreErrors?: boolean;
  /**
   * First segment of every key and of the adapter's own tags. Give each DataSource that shares one
   * HydraCache its own prefix, or the same SQL on two databases would share an entry. Default: `typeorm`.
   */
  keyPrefix?: string;
  /** How many distinct SQL texts keep their parsed table list (parsing costs far more than a hit). Default: 1000. */
  maxStatements?: number;
}

/** {@link HydraQueryCacheOptions} with every default filled in. */
export type ResolvedQueryCacheOptions = Required<HydraQueryCacheOptions>;

const FIELDS: FieldTable<HydraQueryCacheOptions> = {
  duration: checkTtl,
  alwaysEnabled: checkBoolean,
  ignoreErrors: checkBoolean,
  keyPrefix: checkName,
  maxStatements: checkCount,
};

/** Checks `options` (E_INVALID_OPTION naming the field) and fills in the defaults. */
export function resolveQueryCacheOptions(options: unknown): ResolvedQueryCacheOptions {
  const read = readOptions(options, 'hydraQueryCache options', FIELDS);
  return {
    duration: read.duration ?? 1000,
    alwaysEnabled: read.alwaysEnabled ?? false,
    ignoreErrors: read.ignoreErrors ?? false,
    keyPrefix: read.keyPrefix ?? 'typeorm',
    maxStatements: read.maxStatements ?? 1000,
  };
}

function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw CacheErrors.invalidOption(field, 'a boolean', value);
  return value;
}
