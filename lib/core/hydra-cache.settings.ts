import type { BusTransport } from './bus/bus-transport.js';
import type { CacheBusOptions } from './bus/cache-bus.options.js';
import { CacheErrors } from './cache.errors.js';
import { checkTtl } from './cache-options.js';
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
}

/** A bus transport alone, or with the bus's options. */
export type BusSetting = BusTransport | BusSettingWithOptions;

/** A bus transport with the bus's options (`publishTimeout`, `disconnectedTtl`, ...). */
export interface BusSettingWithOptions extends CacheBusOptions {
  /** How messages travel between instances. */
  transport: BusTransport;
}

/** Settings after validation, defaults filled in. */
export type ResolvedSettings = Required<Omit<HydraCacheSettings, 'bus'>> & {
  bus: BusSetting | undefined;
};

/** The `name` of a cache whose settings give none. */
export const DEFAULT_CACHE_NAME = 'default';

/** Default settings, as documented on {@link HydraCacheSettings}. */
export const DEFAULT_SETTINGS = Object.freeze({
  defaultTtl: 300_000,
  maxCapacity: 10_000,
  maxEntryBytes: 16 * 1024 * 1024,
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
};

/** Validates settings and fills in defaults; throws `E_INVALID_OPTION` naming the bad field. */
export function resolveSettings(settings: unknown): ResolvedSettings {
  const given = readOptions(settings, 'settings', SETTING_FIELDS);
  return {
    name: given.name ?? DEFAULT_CACHE_NAME,
    defaultTtl: given.defaultTtl ?? DEFAULT_SETTINGS.defaultTtl,
    maxCapacity: given.maxCapacity ?? DEFAULT_SETTINGS.maxCapacity,
    maxEntryBytes: given.maxEntryBytes ?? DEFAULT_SETTINGS.maxEntryBytes,
    // `null` (no codec) is a choice, not a missing value.
    codec:
      (settings as HydraCacheSettings).codec === null
        ? null
        : (given.codec ?? new CborCodec({ sharedStructures: true })),
    bus: given.bus,
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
