import type { HydraCacheModuleOptions } from '@hydracache/nestjs';
import { AppConfig } from './app-config.js';

/** Maps the app's configuration to HydraCache module options (used by `forRootAsync`). */
export function cacheOptionsFrom(config: AppConfig): HydraCacheModuleOptions {
  return { defaultTtl: config.cacheTtlMs, maxCapacity: config.cacheMaxEntries };
}
