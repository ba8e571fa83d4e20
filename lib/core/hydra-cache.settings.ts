import type { BusTransport } from './bus/bus-transport.js';
import type { CacheBusOptions } from './bus/cache-bus.options.js';
import { CacheErrors } from './cache.errors.js';
import { isChangeSource, type ChangeSource } from './changes/change-source.js';
import { isSecondTier, type SecondTier } from './l2/second-tier.js';
import { RESILIENCE_FIELDS, checkTtl } from './cache-options.js';
import { CborCodec, type Codec } from './cbor-codec.js';
import { readOptions, type FieldTable } from './option-fields.js';

/** Settings of a local cache; every field is optional. */
export interface HydraCacheSettings {
  /** Reported as `cache` on every event and as `cache.name` on every metric, to tell caches apart. Default: `'default'`. */
  name?: string;
  /** TTL in milliseconds for entries stored without one (> 0, or `Infinity`). Default: 300 000 (5 minutes). */
  defaultTtl?: number;
  /** Hard bound on stored entries; the least recently used entry is evicted beyond it. Default: 10 000. */
  maxCapacity?: number;
  /** Largest encoded entry in bytes; larger values are rejected by put and not cached by loads. Default: 16 MiB. */
  maxEntryBytes?: number;
  /**
   * How values are stored. Default: a {@link CborCodec} with shared record structures (its entries
   * never leave the cache), so every read returns a fresh copy.
   * `null` keeps values by reference (no copy, no size check): faster, but callers must never
   * mutate what they read or store.
   */
  codec?: Codec | null;
  /**
   * Joins the other instances on a bus (e.g. `redisBus({ url })` from `@hydracache/nestjs/redis`),
   * so that every invalidation, put and flush reaches them all: a transport, or
   * `{ transport, ...options }` with the {@link CacheBusOptions}. Default: none (local only).
   */
  bus?: BusSetting;
  /**
   * Sources of changes this cache applies (e.g. `postgresChanges({ ... })` from
   * `@hydracache/nestjs/postgres`): each is attached when the cache is built and closed by
   * `close()`. What a source delivers is applied on this instance only. Default: none.
   */
  changes?: ChangeSource | readonly ChangeSource[];
  /**
   * A second tier shared by every instance (e.g. `redisL2({ url })` from
   * `@hydracache/nestjs/redis`): a miss here reads it before running the loader, a load fills it,
   * and invalidations reach it before the bus publishes them. Needs a portable codec: without a
   * `codec` setting the cache then uses `new CborCodec()` (self-contained encodings; pass
   * `new CborCodec({ classes: [...] })` for class instances); `codec: null` or a CborCodec with
   * shared structures or process-local exact round trips is refused. Closed by `close()`.
   * Default: none.
   */
  l2?: SecondTier;
  /** Largest encoded value in bytes the second tier takes; larger ones stay in this instance. Default: 1 MiB. */
  l2MaxEntryBytes?: number;
  /** Default `grace` of entries (ms, >= 0): how long past its TTL get-or-load may serve one stale. Default: 0. */
  grace?: number;
  /** Default `failSafeBackoff` (ms, >= 0): after fail-safe served a stale value, no loader call for the key meanwhile. Default: 10 000. */
  failSafeBackoff?: number;
  /** Default soft `timeout` (ms, >= 0) of a caller holding a stale value. Default: 0 (pure stale-while-revalidate). */
  timeout?: number;
  /** Default `hardTimeout` (ms, > 0) of every load. Default: none. */
  hardTimeout?: number;
  /** Default `refreshAhead` (fraction of the TTL, 0 < f < 1). Default: none. */
  refreshAhead?: number;
  /** Default `ttlJitter` (fraction, 0 <= f < 1, by which stored TTLs are shortened at random). Default: 0. */
  ttlJitter?: number;
}

/** A bus transport alone, or with the bus's options. */
export type BusSetting = BusTransport | BusSettingWithOptions;

/** A bus transport with the bus's options (`publishTimeout`, `disconnectedTtl`, ...). */
export interface BusSettingWithOptions extends CacheBusOptions {
  /** How messages travel between instances. */
  transport: BusTransport;
}

/** Settings after validation, defaults filled in. */
export type ResolvedSettings = Required<Omit<HydraCacheSettings, 'bus' | 'changes' | 'l2'>> & {
  bus: BusSetting | undefined;
  l2: SecondTier | undefined;
  changes: readonly ChangeSource[];
};

/** The `name` of a cache whose settings give none. */
export const DEFAULT_CACHE_NAME = 'default';

/** Default settings, as documented on {@link HydraCacheSettings}. */
export const DEFAULT_SETTINGS = Object.freeze({
  defaultTtl: 300_000,
  maxCapacity: 10_000,
  maxEntryBytes: 16 * 1024 * 1024,
  l2MaxEntryBytes: 1024 * 1024,
  grace: 0,
  failSafeBackoff: 10_000,
  timeout: 0,
  /** No hard timeout. */
  hardTimeout: Infinity,
  /** 0: no eager refresh. */
  refreshAhead: 0,
  ttlJitter: 0,
});

/** Every setting and its check: adding a setting is one line here plus its doc above. */
const SETTING_FIELDS: FieldTable<HydraCacheSettings> = {
  name: checkName,
  defaultTtl: checkTtl,
  maxCapacity: checkCount,
  maxEntryBytes: checkCount,
  codec: checkCodec,
  // Checked in full by the bus itself when the cache builds it.
  bus: (value, field) => {
    if (value === null || typeof value !== 'object') {
      throw CacheErrors.invalidOption(field, 'a bus transport or { transport, ...options }', value);
    }
    return value as BusSetting;
  },
  changes: checkChangeSources,
  l2: checkSecondTier,
  l2MaxEntryBytes: checkCount,
  ...RESILIENCE_FIELDS,
};

/** Validates settings and fills in defaults; throws `E_INVALID_OPTION` naming the bad field. */
export function resolveSettings(settings: unknown): ResolvedSettings {
  const given = readOptions(settings, 'settings', SETTING_FIELDS);
  return {
    name: given.name ?? DEFAULT_CACHE_NAME,
    defaultTtl: given.defaultTtl ?? DEFAULT_SETTINGS.defaultTtl,
    maxCapacity: given.maxCapacity ?? DEFAULT_SETTINGS.maxCapacity,
    maxEntryBytes: given.maxEntryBytes ?? DEFAULT_SETTINGS.maxEntryBytes,
    codec: codecFor(settings as HydraCacheSettings, given),
    bus: given.bus,
    l2: given.l2,
    l2MaxEntryBytes: given.l2MaxEntryBytes ?? DEFAULT_SETTINGS.l2MaxEntryBytes,
    // The field check already turned one source into an array of them.
    changes: (given.changes as readonly ChangeSource[] | undefined) ?? [],
    grace: given.grace ?? DEFAULT_SETTINGS.grace,
    failSafeBackoff: given.failSafeBackoff ?? DEFAULT_SETTINGS.failSafeBackoff,
    timeout: given.timeout ?? DEFAULT_SETTINGS.timeout,
    hardTimeout: given.hardTimeout ?? DEFAULT_SETTINGS.hardTimeout,
    refreshAhead: given.refreshAhead ?? DEFAULT_SETTINGS.refreshAhead,
    ttlJitter: given.ttlJitter ?? DEFAULT_SETTINGS.ttlJitter,
  };
}

/** Checks a count setting: a positive safe integer. */
export function checkCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw CacheErrors.invalidOption(field, 'a positive safe integer', value);
  }
  return value;
}

/** Checks a codec setting: an object with encode and decode methods, or null. */
export function checkCodec(codec: unknown): Codec | null {
  if (codec === null) return null;
  const c = codec as Partial<Codec> | undefined;
  if (typeof c?.encode !== 'function' || typeof c.decode !== 'function') {
    throw CacheErrors.invalidOption(
      'codec',
      'an object with encode and decode methods, or null',
      codec,
    );
  }
  return codec as Codec;
}

/** Checks a cache name: a non-empty string. */
export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw CacheErrors.invalidOption(field, 'a non-empty string', value);
  }
  return value;
}

/** Checks a `changes` setting: one source of changes or an array of them; returns the array. */
export function checkChangeSources(value: unknown, field = 'changes'): readonly ChangeSource[] {
  const sources = Array.isArray(value) ? value : [value];
  for (const source of sources) {
    if (!isChangeSource(source)) {
      throw CacheErrors.invalidOption(
        field,
        'a source of changes (attach and close methods) or an array of them',
        source,
      );
    }
  }
  return [...sources] as ChangeSource[];
}

/** Checks an `l2` setting: an object with the methods of a {@link SecondTier}. */
export function checkSecondTier(value: unknown, field = 'l2'): SecondTier {
  if (!isSecondTier(value)) {
    throw CacheErrors.invalidOption(field, 'a second tier (e.g. redisL2({ url }))', value);
  }
  return value;
}

/**
 * The codec of a cache. `null` (no codec) is a choice, not a missing value. With a second tier the
 * encodings leave the process, so the default is a self-contained CborCodec, and a codec whose
 * encodings only its own instance decodes (or none) is refused.
 */
function codecFor(settings: HydraCacheSettings, given: Partial<HydraCacheSettings>): Codec | null {
  if (given.l2 === undefined) {
    if (settings.codec === null) return null;
    return given.codec ?? new CborCodec({ sharedStructures: true });
  }
  if (settings.codec === null || (given.codec instanceof CborCodec && !given.codec.portable)) {
    throw CacheErrors.invalidOption(
      'codec',
      'a codec whose encodings decode in every instance (with l2: new CborCodec(), new CborCodec({ classes }), or a codec of your own)',
      settings.codec === null ? null : 'a CborCodec with sharedStructures or exact',
    );
  }
  return given.codec ?? new CborCodec();
}
