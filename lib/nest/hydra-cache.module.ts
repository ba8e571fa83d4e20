import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HydraCache } from '../core/hydra-cache.js';
import type { HydraCacheModuleOptions } from './hydra-cache-module.options.js';
import { CacheUsageCheck } from './cache-usage.check.js';
import {
  ConfigurableHydraCacheModule,
  HYDRA_CACHE_ASYNC_OPTIONS_TYPE,
  HYDRA_CACHE_MODULE_OPTIONS,
  HYDRA_CACHE_OPTIONS_TYPE,
  MODULE_CACHE,
  MODULE_CACHE_NAME,
} from './hydra-cache.module-definition.js';

/**
 * Registers a {@link HydraCache} per application: the default one, injectable by class, or with
 * `name` a named one beside it, injectable with `@InjectHydraCache(name)`. Global by default so the
 * decorators work in every module; pass `isGlobal: false` to import it module by module.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: MODULE_CACHE,
      // Building validates the options, so a bad option fails the bootstrap with E_INVALID_OPTION.
      useFactory: (options: HydraCacheModuleOptions, name: string | null) =>
        new HydraCache(name === null ? options : { ...options, name }),
      inject: [HYDRA_CACHE_MODULE_OPTIONS, MODULE_CACHE_NAME],
    },
    CacheUsageCheck,
  ],
})
export class HydraCacheModule
  extends ConfigurableHydraCacheModule
  implements OnModuleInit, OnApplicationShutdown
{
  constructor(@Inject(MODULE_CACHE) private readonly cache: HydraCache) {
    super();
  }

  /** Registers a cache with static options; every option has a default, so `forRoot()` works. */
  static override forRoot(options: typeof HYDRA_CACHE_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Registers a cache whose options come from a factory, a class or an existing provider. */
  static override forRootAsync(options: typeof HYDRA_CACHE_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  /**
   * Waits (10 s at most) for the cache's sources of changes to connect before the app serves:
   * a change feed that connects later flushes what was cached before it.
   */
  async onModuleInit(): Promise<void> {
    await this.cache.ready();
  }

  /** Closes this module's cache on shutdown: leaves the bus and empties it (other instances keep theirs). */
  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
