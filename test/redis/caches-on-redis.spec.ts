import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { HydraCache } from '../../lib/index.js';
import { redisBus, type RedisBusOptions } from '../../lib/redis/index.js';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { RedisServer } from '../support/redis-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const available = await sharedRedisAvailable('Caches on Redis (shared Redis)');

/** Caches on one Redis channel; closed after each test. */
const open: HydraCache[] = [];

async function cachesOn(count: number, options: RedisBusOptions[]): Promise<HydraCache[]> {
  const caches = Array.from({ length: count }, (_, i) =>
    HydraCache.local()
      .bus(redisBus({ maxReconnectDelay: 100, ...options[i % options.length] }), {
        onWarn: () => undefined,
        disconnectedTtl: 60_000,
      })
      .build(),
  );
  open.push(...caches);
  await pollUntil(
    () => caches.every((cache) => cache.busStats()?.connected),
    'every cache to join',
  );
  return caches;
}

async function fill(caches: HydraCache[], key: string, value: string, tags: string[] = []) {
  for (const cache of caches) await cache.getOrLoad(key, { tags }, () => value);
}

/** Waits until no cache holds `key` (the invalidation arrived everywhere). */
async function goneEverywhere(caches: HydraCache[], key: string): Promise<void> {
  await pollUntil(
    async () => (await Promise.all(caches.map((c) => c.containsKey(key)))).every((held) => !held),
    `"${key}" to leave every cache`,
  );
}

const channel = (): string => `caches-${randomBytes(6).toString('hex')}`;

afterEach(async () => {
  await Promise.all(open.splice(0).map((cache) => cache.close()));
});

(available ? describe : describe.skip)('caches on the shared Redis', () => {
  const shared = (): RedisBusOptions[] => [{ url: SHARED_REDIS_URL, channel: channel() }];

  it('key, tag, put and flush propagate to three instances; own messages are not re-applied', async () => {
    const caches = await cachesOn(3, shared());
    const [a, b, c] = caches as [HydraCache, HydraCache, HydraCache];
    await fill(caches, 'user:1', 'Ada', ['users']);
    await a.invalidateKey('user:1');
    await goneEverywhere(caches, 'user:1');

    await fill(caches, 'user:2', 'Bob', ['users']);
    await b.invalidateTag('users');
    await goneEverywhere(caches, 'user:2');

    await fill(caches, 'user:3', 'Cy');
    await c.put('user:3', 'Cyd');
    await goneEverywhere([a, b], 'user:3');
    expect(await c.get('user:3')).toBe('Cyd');

    await fill(caches, 'x', '1');
    await a.flush();
    await goneEverywhere(caches, 'x');
    expect(c.busStats()).toMatchObject({ ignoredOwn: 1, gapsDetected: 1 }); // its first connect only
    expect(a.busStats()?.applied).toBe(2);
  });

  it('different channels are isolated', async () => {
    const [a] = await cachesOn(1, shared());
    const [b] = await cachesOn(1, shared());
    await fill([a!, b!], 'k', 'v');
    await a!.invalidateKey('k');
    await a!.put('marker', 'sent after');
    expect(await b!.containsKey('k')).toBe(true);
    expect(b!.busStats()?.received).toBe(0);
  });

  it('B keeps a load out of its cache when A invalidates its tag meanwhile (stale-load safety)', async () => {
    const [a, b] = (await cachesOn(2, shared())) as [HydraCache, HydraCache];
    const gate = deferred<string>();
    const loader = jest.fn(() => gate.promise);
    const running = b.getOrLoad('user:1', { tags: ['users'] }, loader);
    await a.invalidateTag('users');
    await pollUntil(() => (b.busStats()?.applied ?? 0) >= 1, 'B to apply the invalidation');
    const afterMessage = b.getOrLoad('user:1', { tags: ['users'] }, () => 'fresh');
    gate.resolve('old');
    expect(await running).toBe('old');
    expect(await afterMessage).toBe('fresh');
    expect(await b.get('user:1')).toBe('fresh');
    expect(loader).toHaveBeenCalledTimes(1);
  });
});

(available ? describe : describe.skip)('caches on Redis through faults', () => {
  let server: RedisServer;
  let link: TcpProxy;

  beforeAll(async () => {
    server = await RedisServer.start();
    link = await TcpProxy.start(server.port);
  });
  afterAll(async () => {
    await link.close();
    await server.stop();
  });

  it('a partitioned instance does not serve what was invalidated during the partition', async () => {
    const name = channel();
    const [a, b] = (await cachesOn(2, [
      { url: link.url, channel: name },
      { url: server.url, channel: name },
    ])) as [HydraCache, HydraCache];
    await fill([a, b], 'user:1', 'Ada', ['users']);
    link.cut();
    await pollUntil(() => a.busStats()?.connected === false, 'A to notice the partition');
    await b.invalidateTag('users');
    link.restore();
    await pollUntil(() => a.busStats()?.connected === true, 'A to rejoin');
    expect(await a.containsKey('user:1')).toBe(false);
    // The rejoin replayed the invalidation from the log: no gap but the first connect's.
    expect(a.busStats()).toMatchObject({ disconnects: 1, gapsDetected: 1, applied: 1 });
  });

  it('after a Redis restart no instance serves an entry from before it', async () => {
    const name = channel();
    const [a, b] = (await cachesOn(2, [{ url: server.url, channel: name }])) as [
      HydraCache,
      HydraCache,
    ];
    await fill([a, b], 'user:1', 'Ada');
    await server.restart();
    await pollUntil(
      () => [a, b].every((c) => (c.busStats()?.gapsDetected ?? 0) >= 2 && c.busStats()?.connected),
      'both caches to resync after the restart',
    );
    expect(await a.containsKey('user:1')).toBe(false);
    expect(await b.containsKey('user:1')).toBe(false);
  });
});
