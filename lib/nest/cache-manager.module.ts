import { Module, type DynamicModule } from '@nestjs/common';
import {
  CACHE_MANAGER,
  provideCacheManager,
  type CacheManagerOptions,
} from './cache-manager.provider.js';

/** Options of `HydraCacheManagerModule.forRoot()`. */
export interface HydraCacheManagerModuleOptions extends CacheManagerOptions {
  /** Make `CACHE_MANAGER` injectable in every module. Default: true. */
  isGlobal?: boolean;
}

/**
 * Provides `CACHE_MANAGER` (the `@nestjs/cache-manager` token) backed by a HydraCache registered
 * with `HydraCacheModule`: the drop-in replacement for `CacheModule.register()`.
 */
@Module({})
export class HydraCacheManagerModule {
  /** Registers `CACHE_MANAGER` over the default cache, or the one `cache` names. */
  static forRoot(options: HydraCacheManagerModuleOptions = {}): DynamicModule {
    const { isGlobal = true, ...managerOptions } = options;
    return {
      module: HydraCacheManagerModule,
      global: isGlobal,
      providers: [provideCacheManager(managerOptions)],
      exports: [CACHE_MANAGER],
    };
  }
}
