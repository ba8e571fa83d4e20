import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HydraCache } from '../../lib/index.js';
import { redisL2, type RedisSecondTier } from '../../lib/redis/index.js';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { redisServerAvailable } from '../support/redis-availability.js';
import { RedisCluster } from './support/redis-cluster.js';
import { uniquePrefix } from './support/l2-caches.js';

const available = redisServerAvailable('Redis second tier on a cluster');

let cluster: RedisCluster;
const open: HydraCache[] = [];

beforeAll(async () => {
  if (available) cluster = await RedisCluster.start();
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((cache) => cache.close()));
});
afterAll(async () => {
  await cluster?.stop();
});

async function clusterCache(prefix: string, lease?: { ttl: number; wait: number }) {
  const tier = redisL2({
    nodes: [{ host: '127.0.0.1', port: cluster.ports[0]! }],
    prefix,
    timeout: 1_000,
    lease,
  }) as RedisSecondTier;
  const cache = new HydraCache({ l2: tier });
  open.push(cache);
  await pollUntil(() => tier.client.status === 'ready', 'the cluster client');
  return cache;
}

(available ? describe : describe.skip)('a Redis second tier on a three-master cluster', () => {
  it('shares, invalidates and refuses stale fills; every key of a tier sits on one master', async () => {
    // Prefixes hashing to different slots, so some scripts run on a node the seed redirects to.
    for (const prefix of [uniquePrefix(), uniquePrefix(), uniquePrefix()]) {
      const before = await cluster.keyCounts();
      const a = await clusterCache(prefix);
      const b = await clusterCache(prefix);
      await a.getOrLoad('user:1', { tags: ['users'], resultTags: () => 'org:1' }, () => 'Ada');
      expect(await b.getOrLoad('user:1', {}, () => 'other')).toBe('Ada');
      await a.invalidateTag('org:1');
      const c = await clusterCache(prefix);
      expect(await c.getOrLoad('user:1', {}, () => 'new')).toBe('new');

      const gate = deferred<string>();
      const started = deferred<void>();
      const load = b.getOrLoad('user:2', { tags: ['users'] }, () => {
        started.resolve();
        return gate.promise;
      });
      await started.promise;
      await a.invalidateTag('users');
      gate.resolve('old');
      await load;
      expect(b.l2Stats()?.refusedFills).toBe(1);
      await a.put('p', 'v');
      await a.invalidateKey('user:3');
      await a.flush();

      const grown = (await cluster.keyCounts()).map((n, i) => n - before[i]!);
      expect(grown.filter((n) => n > 0)).toHaveLength(1);
      expect(a.l2Stats()?.errors).toBe(0);
    }
  });

  it('leases work on the cluster', async () => {
    const prefix = uniquePrefix();
    const lease = { ttl: 10_000, wait: 10_000 };
    const caches = [await clusterCache(prefix, lease), await clusterCache(prefix, lease)];
    let calls = 0;
    const gate = deferred<string>();
    const loads = caches.map((cache) =>
      cache.getOrLoad('cold', {}, () => {
        calls++;
        return gate.promise;
      }),
    );
    await pollUntil(() => calls === 1, 'one loader to start');
    gate.resolve('v');
    expect(await Promise.all(loads)).toEqual(['v', 'v']);
    expect(calls).toBe(1);
  });
});
