import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { HydraCache } from '../../../lib/index.js';
import { redisBus, type RedisBusOptions } from '../../../lib/redis/index.js';
import { pollUntil } from '../../support/poll.js';
import { SHARED_REDIS_URL } from '../../support/redis-availability.js';

/** A fresh channel name, with the Redis names the bus derives from it. */
export function freshChannel(): { channel: string; redisChannel: string; stateKey: string } {
  const channel = `frames-${randomBytes(6).toString('hex')}`;
  return {
    channel,
    redisChannel: `hydracache:v1:${channel}`,
    stateKey: `hydracache:v1:${channel}:state`,
  };
}

/** Caches on the shared Redis, each with its own bus options; resolves once all joined. */
export async function cachesOn(
  options: RedisBusOptions[],
  open: HydraCache[],
): Promise<HydraCache[]> {
  const caches = options.map((given) =>
    HydraCache.local()
      .bus(redisBus({ url: SHARED_REDIS_URL, maxReconnectDelay: 100, ...given }), {
        onWarn: () => undefined,
        disconnectedTtl: 60_000,
      })
      .build(),
  );
  open.push(...caches);
  await pollUntil(() => caches.every((cache) => cache.busStats()?.connected), 'caches to join');
  return caches;
}

/** A plain subscriber that keeps every frame published on `redisChannel`, byte for byte. */
export class ChannelTap {
  readonly frames: Buffer[] = [];
  private constructor(private readonly client: Redis) {}

  static async open(redisChannel: string): Promise<ChannelTap> {
    const client = new Redis(SHARED_REDIS_URL);
    const tap = new ChannelTap(client);
    client.on('messageBuffer', (_channel: Buffer, message: Buffer) => tap.frames.push(message));
    await client.subscribe(redisChannel);
    return tap;
  }

  /** Waits until at least `count` frames were captured. */
  async waitFor(count: number): Promise<void> {
    await pollUntil(() => this.frames.length >= count, `${count} frame(s) on the tap`);
  }

  close(): void {
    this.client.disconnect();
  }
}

/** Waits until `cache` no longer holds `key` (an invalidation arrived). */
export async function gone(cache: HydraCache, key: string): Promise<void> {
  await pollUntil(async () => !(await cache.containsKey(key)), `"${key}" to leave the cache`);
}
