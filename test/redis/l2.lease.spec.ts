import { afterEach, describe, expect, it } from '@jest/globals';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { closeAll, l2Cache, rawClient, uniquePrefix } from './support/l2-caches.js';

const available = await sharedRedisAvailable('Redis second tier leases (shared Redis)');

afterEach(closeAll);

(available ? describe : describe.skip)('distributed single-flight through leases', () => {
  it('three instances missing one cold key run one loader; the others read its fill', async () => {
    const prefix = uniquePrefix();
    const lease = { ttl: 10_000, wait: 10_000 };
    const caches = await Promise.all([1, 2, 3].map(() => l2Cache({ prefix, lease })));
    const gate = deferred<string>();
    let calls = 0;
    const loader = (): Promise<string> => {
      calls++;
      return gate.promise;
    };
    const loads = caches.map((cache) => cache.getOrLoad('cold', { tags: ['t'] }, loader));
    await pollUntil(() => calls === 1, 'one loader to start');
    gate.resolve('v');
    expect(await Promise.all(loads)).toEqual(['v', 'v', 'v']);
    expect(calls).toBe(1);
  });

  it('a lease holder that hangs: the others load themselves after the bound, and its late fill is refused', async () => {
    const prefix = uniquePrefix();
    const lease = { ttl: 100, wait: 200 };
    const [a, b] = [await l2Cache({ prefix, lease }), await l2Cache({ prefix, lease })];
    const hung = deferred<string>();
    const started = deferred<void>();
    const held = a.getOrLoad('k', {}, () => {
      started.resolve();
      return hung.promise;
    });
    await started.promise;
    expect(await b.getOrLoad('k', {}, () => 'b')).toBe('b');
    hung.resolve('a, too late');
    expect(await held).toBe('a, too late');
    expect(a.l2Stats()).toMatchObject({ fills: 0, refusedFills: 1 });
  });

  it('a holder whose lease expired is fenced off: its fill is refused', async () => {
    const prefix = uniquePrefix();
    const a = await l2Cache({ prefix, lease: { ttl: 50, wait: 1_000 } });
    const gate = deferred<string>();
    const started = deferred<void>();
    const held = a.getOrLoad('k', {}, () => {
      started.resolve();
      return gate.promise;
    });
    await started.promise;
    const redis = rawClient(SHARED_REDIS_URL);
    await pollUntil(
      async () => (await redis.exists(`{${prefix}}:l:k`)) === 0,
      'the lease to lapse',
    );
    gate.resolve('late');
    await held;
    expect(a.l2Stats()).toMatchObject({ fills: 0, refusedFills: 1 });
  });

  it('a holder whose loader fails gives the lease back at once', async () => {
    const prefix = uniquePrefix();
    const a = await l2Cache({ prefix, lease: { ttl: 60_000, wait: 60_000 } });
    const b = await l2Cache({ prefix, lease: { ttl: 60_000, wait: 60_000 } });
    await expect(a.getOrLoad('k', {}, () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    const redis = rawClient(SHARED_REDIS_URL);
    await pollUntil(async () => (await redis.exists(`{${prefix}}:l:k`)) === 0, 'the lease to go');
    expect(await b.getOrLoad('k', {}, () => 'b')).toBe('b');
  });
});
