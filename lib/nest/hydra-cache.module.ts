import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HydraCache } from '../core/hydra-cache.js';
import type { HydraCacheModuleOptions } from './hydra-cache-module.options.js';
import {
  ConfigurableHydraCacheModule,
  HYDRA_CACHE_MODULE_OPTIONS,
  HYDRA_CACHE_OPTIONS_TYPE,
} from './hydra-cache.module-definition.js';

/**
 * Registers one {@link HydraCache} per application, injectable by class. Global by default so
 * `@Cached` works in every module; pass `isGlobal: false` to import it module by module.
 */
@Module({
  providers: [
    {
      provide: HydraCache,
      // Building validates the options, so a bad option fails the bootstrap with E_INVALID_OPTION.
      useFactory: (options: HydraCacheModuleOptions) => new HydraCache(options),
      inject: [HYDRA_CACHE_MODULE_OPTIONS],
    },
  ],
  exports: [HydraCache],
})
export class HydraCacheModule
  extends ConfigurableHydraCacheModule
  implements OnApplicationShutdown
{
  constructor(private readonly cache: HydraCache) {
    super();
  }

  /** Registers the cache with static options; every option has a default, so `forRoot()` works. */
  static override forRoot(options: typeof HYDRA_CACHE_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Leaves the bus and releases every entry when the application shuts down (other instances keep theirs). */
  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
