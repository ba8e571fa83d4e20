import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { HydraCache, type HydraCacheSettings } from '../../../lib/index.js';
import { redisL2, RedisSecondTier, type RedisL2Options } from '../../../lib/redis/index.js';
import { pollUntil } from '../../support/poll.js';

/** A prefix no other test uses. */
export const uniquePrefix = (): string => `hc-l2-test:${randomBytes(6).toString('hex')}`;

/** Caches and clients opened by a test; closed by {@link closeAll}. */
const opened: { close(): Promise<unknown> }[] = [];

/** A cache with a Redis second tier (its connection ready), closed by {@link closeAll}. */
export async function l2Cache(
  l2: RedisL2Options,
  settings: HydraCacheSettings = {},
): Promise<HydraCache> {
  const tier = redisL2({ timeout: 1_000, ...l2 }) as RedisSecondTier;
  const cache = new HydraCache({ ...settings, l2: tier });
  opened.push(cache);
  await pollUntil(() => tier.client.status === 'ready', 'the L2 connection');
  return cache;
}

/** A plain client on `url`, closed by {@link closeAll}. */
export function rawClient(url: string): Redis {
  const client = new Redis(url, { lazyConnect: false });
  client.on('error', () => undefined);
  opened.push({ close: () => Promise.resolve(client.disconnect()) });
  return client;
}

/** Closes every cache and client a test opened. */
export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((c) => c.close()));
}

/** A loader that counts its calls. */
export function counted<T>(value: T): { loader: () => T; calls: () => number } {
  let calls = 0;
  return {
    loader: () => {
      calls++;
      return value;
    },
    calls: () => calls,
  };
}
