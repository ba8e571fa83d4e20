import { CacheErrors } from './cache.errors.js';
import { checkTtl } from './cache-options.js';
import { CborCodec, type Codec } from './cbor-codec.js';
import { HydraCache } from './hydra-cache.js';

/** Settings of a local cache; every field is optional. */
export interface HydraCacheSettings {
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
}

/** Default settings, as documented on {@link HydraCacheSettings}. */
export const DEFAULT_SETTINGS = Object.freeze({
  defaultTtl: 300_000,
  maxCapacity: 10_000,
  maxEntryBytes: 16 * 1024 * 1024,
});

const SETTING_NAMES = ['defaultTtl', 'maxCapacity', 'maxEntryBytes', 'codec'];

/** Validates settings and fills in defaults; throws `E_INVALID_OPTION` naming the bad field. */
export function resolveSettings(settings: HydraCacheSettings): Required<HydraCacheSettings> {
  if (settings === null || typeof settings !== 'object') {
    throw CacheErrors.invalidOption('settings', 'an object', settings);
  }
  for (const field of Object.keys(settings)) {
    if (!SETTING_NAMES.includes(field)) {
      throw CacheErrors.unknownOption(field, SETTING_NAMES);
    }
  }
  const { defaultTtl, maxCapacity, maxEntryBytes, codec } = settings;
  return {
    defaultTtl:
      defaultTtl === undefined ? DEFAULT_SETTINGS.defaultTtl : checkTtl(defaultTtl, 'defaultTtl'),
    maxCapacity: checkCount(maxCapacity ?? DEFAULT_SETTINGS.maxCapacity, 'maxCapacity'),
    maxEntryBytes: checkCount(maxEntryBytes ?? DEFAULT_SETTINGS.maxEntryBytes, 'maxEntryBytes'),
    codec: codec === undefined ? new CborCodec({ sharedStructures: true }) : checkCodec(codec),
  };
}

/** Fluent builder returned by `HydraCache.local()`. Setters validate at once. */
export class HydraCacheBuilder {
  readonly #settings: HydraCacheSettings = {};

  /** Default TTL in milliseconds (> 0, or `Infinity`). Default: 300 000. */
  defaultTtl(ms: number): this {
    this.#settings.defaultTtl = checkTtl(ms, 'defaultTtl');
    return this;
  }

  /** Hard bound on stored entries (positive integer). Default: 10 000. */
  maxCapacity(entries: number): this {
    this.#settings.maxCapacity = checkCount(entries, 'maxCapacity');
    return this;
  }

  /** Largest encoded entry in bytes (positive integer). Default: 16 MiB. */
  maxEntryBytes(bytes: number): this {
    this.#settings.maxEntryBytes = checkCount(bytes, 'maxEntryBytes');
    return this;
  }

  /** The codec values are stored with. Default: {@link CborCodec}. */
  codec(codec: Codec): this {
    this.#settings.codec = checkCodec(codec);
    return this;
  }

  /** Keeps values by reference instead of encoding them: no copies, so callers must not mutate values. */
  noCopy(): this {
    this.#settings.codec = null;
    return this;
  }

  /** Builds the cache. */
  build(): HydraCache {
    return new HydraCache({ ...this.#settings });
  }
}

function checkCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw CacheErrors.invalidOption(field, 'a positive safe integer', value);
  }
  return value;
}

function checkCodec(codec: unknown): Codec | null {
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
