import type { HydraCacheSettings } from '../core/hydra-cache.settings.js';

/**
 * Options of `HydraCacheModule.forRoot()` / `forRootAsync()`: the cache settings (`defaultTtl` ms,
 * default 300 000; `maxCapacity` entries, default 10 000; `maxEntryBytes` bytes, default 16 MiB;
 * `codec`, default CBOR). Unknown fields are rejected at bootstrap with `E_INVALID_OPTION`.
 */
export type HydraCacheModuleOptions = HydraCacheSettings;

/** Module-definition extras, accepted by forRoot and forRootAsync alongside the options. */
export interface HydraCacheModuleExtras {
  /** Register the cache for every module of the application. Default: true. */
  isGlobal?: boolean;
  /**
   * Registers a named cache beside the default one, with its own settings, injected with
   * `@InjectHydraCache(name)` and used with `@Cached({ cache: name })`. Default: the default cache.
   */
  name?: string;
}

/** Implement it to configure the module with `forRootAsync({ useClass })`. */
export interface HydraCacheOptionsFactory {
  /** Returns the module options, possibly asynchronously. */
  createHydraCacheOptions(): HydraCacheModuleOptions | Promise<HydraCacheModuleOptions>;
}
