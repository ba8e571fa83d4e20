/**
 * The three two-tier caches bench/l2 compares, behind one shape:
 *   load(key, loader)  the get-or-load call (L1, then Redis, then the loader)
 *   close()
 * Each instance is an app replica: its own memory L1, one shared Redis.
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { createCache } from 'cache-manager';
import { CacheableMemory } from 'cacheable';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { HydraCache } from '../../dist/index.js';
import { redisL2 } from '../../dist/redis/index.js';

const HOUR = 3_600_000;

/** HydraCache with its Redis second tier (optionally with distributed single-flight leases). */
export async function hydracache({ url, prefix, lease }) {
  const tier = redisL2({ url, prefix, timeout: 1_000, lease });
  const cache = new HydraCache({ defaultTtl: HOUR, maxCapacity: 100_000, l2: tier });
  await until(() => tier.client.status === 'ready', 'the L2 connection');
  return {
    label: lease ? 'HydraCache (redisL2, lease)' : 'HydraCache (redisL2)',
    load: (key, loader) => cache.getOrLoad(key, {}, loader),
    close: () => cache.close(),
  };
}

/** bentocache 1.6: memory L1, Redis L2 and its Redis bus. */
export async function bentocache({ url, prefix }) {
  const { hostname, port } = new URL(url);
  const connection = { host: hostname, port: Number(port) };
  const bento = new BentoCache({
    default: 'l2',
    stores: {
      l2: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 100_000 }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection })),
    },
    prefix,
    ttl: HOUR,
  });
  // Its bus subscribes in the background (no public ready hook).
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    label: 'bentocache 1.6 (memory L1 + Redis L2 + bus)',
    load: (key, loader) => bento.getOrSet({ key, factory: loader }),
    close: () => bento.disconnectAll(),
  };
}

/** cache-manager 7 with a memory store in front of @keyv/redis (no bus). */
export async function cacheManager({ url, prefix }) {
  const redis = new Keyv({ store: new KeyvRedis(url), namespace: prefix, useKeyPrefix: false });
  const cache = createCache({
    stores: [new Keyv({ store: new CacheableMemory({ lruSize: 100_000 }) }), redis],
    ttl: HOUR,
  });
  return {
    label: 'cache-manager 7 (memory + @keyv/redis)',
    load: (key, loader) => cache.wrap(key, loader, HOUR),
    close: () => cache.disconnect(),
  };
}

export const SYSTEMS = { hydracache, bentocache, cacheManager };

export async function until(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
