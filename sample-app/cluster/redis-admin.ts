import { Redis } from 'ioredis';

/**
 * A short-lived Redis connection of the cluster demo's own: checks that Redis answers before any
 * process starts, and removes the demo's keys afterwards. Never queues commands while offline.
 */
export async function connectAdmin(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    connectionName: 'hydracache-sample:cluster-demo',
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // Reported by connect()'s rejection below.
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

/** Deletes the fake database's tables under `namespace` and the bus state of `channel`. */
export async function removeDemoKeys(
  redis: Redis,
  namespace: string,
  channel: string,
): Promise<void> {
  await redis.del(`${namespace}:users`, `${namespace}:tenants`, `hydracache:v1:${channel}:state`);
}
