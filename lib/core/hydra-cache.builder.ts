import type { BusTransport } from './bus/bus-transport.js';
import type { CacheBusOptions } from './bus/cache-bus.options.js';
import type { Codec } from './cbor-codec.js';
import type { ChangeSource } from './changes/change-source.js';
import { CacheErrors } from './cache.errors.js';
import type { SecondTier } from './l2/second-tier.js';
import { checkTtl } from './cache-options.js';
import type { HydraCache } from './hydra-cache.js';
import {
  checkChangeSources,
  checkCodec,
  checkCount,
  checkName,
  checkSecondTier,
  type HydraCacheSettings,
} from './hydra-cache.settings.js';
import { isPlainObject } from './option-fields.js';

/** Fluent builder returned by `HydraCache.local()`. Setters validate at once. */
export class HydraCacheBuilder {
  readonly #settings: HydraCacheSettings = {};

  /** Internal: `HydraCache.local()` passes how to build (which keeps this file free of an import cycle). */
  constructor(private readonly create: (settings: HydraCacheSettings) => HydraCache) {}

  /** The name events and metrics report for this cache (non-empty). Default: `'default'`. */
  name(name: string): this {
    this.#settings.name = checkName(name, 'name');
    return this;
  }

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

  /**
   * Joins the other instances on `transport` (e.g. `redisBus({ url })`), with the bus's options
   * (`publishTimeout`, `disconnectedTtl`, `maxRetryItems`, `onWarn`). Default: local only.
   */
  bus(transport: BusTransport, options: CacheBusOptions = {}): this {
    // Spread below, `null` or an array would vanish without a word; the bus checks the fields.
    if (options === null || typeof options !== 'object' || !isPlainObject(options)) {
      throw CacheErrors.invalidOption('busOptions', 'a plain object', options);
    }
    this.#settings.bus = { ...options, transport };
    return this;
  }

  /**
   * Applies what `sources` report changed (e.g. `postgresChanges({ ... })`); adds to sources given
   * before. The cache attaches them when built and closes them in `close()`. Default: none.
   */
  changes(...sources: ChangeSource[]): this {
    const given = checkChangeSources(sources);
    const before = (this.#settings.changes ?? []) as readonly ChangeSource[];
    this.#settings.changes = [...before, ...given];
    return this;
  }

  /**
   * Shares entries with the other instances through `tier` (e.g. `redisL2({ url })`); values over
   * `maxEntryBytes` (default 1 MiB) stay in this instance. Default: none.
   */
  l2(tier: SecondTier, options: { maxEntryBytes?: number } = {}): this {
    this.#settings.l2 = checkSecondTier(tier);
    if (options.maxEntryBytes !== undefined)
      this.#settings.l2MaxEntryBytes = checkCount(options.maxEntryBytes, 'l2MaxEntryBytes');
    return this;
  }

  /** Builds the cache. */
  build(): HydraCache {
    return this.create({ ...this.#settings });
  }
}
