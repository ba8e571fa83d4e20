import type { HydraCacheModuleOptions } from '@hydracache/nestjs';
import { AppConfig } from './app-config.js';

/**
 * Maps the app's configuration to HydraCache module options (used by `forRootAsync`). With
 * `REDIS_URL` set, the cache joins the other instances on the Redis bus of `REDIS_CHANNEL`; the
 * Redis transport (and ioredis) is imported only then, as an app without Redis would.
 */
export async function cacheOptionsFrom(config: AppConfig): Promise<HydraCacheModuleOptions> {
  const local = { defaultTtl: config.cacheTtlMs, maxCapacity: config.cacheMaxEntries };
  if (config.redisUrl === undefined) return local;
  const { redisBus } = await import('@hydracache/nestjs/redis');
  const bus = redisBus({
    url: config.redisUrl,
    channel: config.redisChannel,
    ...(config.instanceName === undefined ? {} : { name: config.instanceName }),
  });
  return { ...local, bus };
}
