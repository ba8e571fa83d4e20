import { afterEach, describe, expect, it } from '@jest/globals';
import { CborCodec, HydraCache, type HydraCacheSettings } from '../../lib/index.js';
import { redisBus, redisL2 } from '../../lib/redis/index.js';
import { pollUntil } from '../support/poll.js';
import { deferred } from '../support/deferred.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { closeAll, counted, l2Cache, uniquePrefix } from './support/l2-caches.js';

const available = await sharedRedisAvailable('Redis second tier (shared Redis)');

afterEach(closeAll);

(available ? describe : describe.skip)('a Redis second tier shared by instances', () => {
  const pair = async (): Promise<[HydraCache, HydraCache]> => {
    const prefix = uniquePrefix();
    return [await l2Cache({ prefix }), await l2Cache({ prefix })];
  };

  it('a cold instance gets what another loaded, without running its loader', async () => {
    const [a, b] = await pair();
    const value = { name: 'Ada', born: new Date('1815-12-10'), langs: new Set(['en']) };
    expect(await a.getOrLoad('user:1', { tags: ['users'] }, () => value)).toEqual(value);
    const loader = counted({ name: 'other' });
    expect(await b.getOrLoad('user:1', { tags: ['users'] }, loader.loader)).toEqual(value);
    expect(loader.calls()).toBe(0);
    expect(b.l2Stats()).toMatchObject({ hits: 1, misses: 0 });
    expect(a.l2Stats()).toMatchObject({ hits: 0, misses: 1, fills: 1 });
    // Stored in B's L1 with the entry's tags: a local tag invalidation reaches it.
    expect(await b.get('user:1')).toEqual(value);
    expect(await b.invalidateTag('users')).toBe(1);
  });

  it('class instances listed in the codec come back as instances on the other instance', async () => {
    class User {
      constructor(readonly name: string) {}
      greet(): string {
        return `hi ${this.name}`;
      }
    }
    const prefix = uniquePrefix();
    const a = await l2Cache({ prefix }, { codec: new CborCodec({ classes: [User] }) });
    const b = await l2Cache({ prefix }, { codec: new CborCodec({ classes: [User] }) });
    await a.getOrLoad('u', {}, () => new User('Ada'));
    const read = await b.getOrLoad('u', {}, () => new User('other'));
    expect(read).toBeInstanceOf(User);
    expect(read.greet()).toBe('hi Ada');
  });

  it('concurrent misses of one instance share one second-tier lookup', async () => {
    const [a, b] = await pair();
    await a.getOrLoad('k', {}, () => 'v');
    const loader = counted('other');
    const all = await Promise.all(
      Array.from({ length: 50 }, () => b.getOrLoad('k', {}, loader.loader)),
    );
    expect(new Set(all)).toEqual(new Set(['v']));
    expect(b.l2Stats()).toMatchObject({ hits: 1, calls: 1 });
  });

  it.each([
    ['invalidateTag', (c: HydraCache) => c.invalidateTag('users')],
    ['invalidateKey', (c: HydraCache) => c.invalidateKey('user:1')],
    ['expireTag', (c: HydraCache) => c.expireTag('users')],
    ['expireKey', (c: HydraCache) => c.expireKey('user:1')],
    ['flush', (c: HydraCache) => c.flush()],
  ])('%s on one instance: no other instance reads the old value from the tier', async (_n, act) => {
    const [a, b] = await pair();
    await a.getOrLoad('user:1', { tags: ['users'] }, () => 'old');
    await act(a);
    expect(await b.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
    // B's load filled the tier again: A (L1 cleared by its own invalidation) reads B's value.
    expect(await a.getOrLoad('user:1', { tags: ['users'] }, () => 'A again')).toBe('new');
  });

  it('a result tag invalidated elsewhere after the entry was filled makes it a miss', async () => {
    const [a, b] = await pair();
    await a.getOrLoad('order:1', { resultTags: (o: { c: string }) => `customer:${o.c}` }, () => ({
      c: '7',
    }));
    await b.invalidateTag('customer:7');
    const fresh = await b.getOrLoad('order:1', {}, () => ({ c: '8' }));
    expect(fresh).toEqual({ c: '8' });
  });

  it('put writes the new value to the tier; l2: false and oversized values stay local', async () => {
    const prefix = uniquePrefix();
    const a = await l2Cache({ prefix }, { l2MaxEntryBytes: 100 });
    const b = await l2Cache({ prefix });
    await a.getOrLoad('k', {}, () => 'loaded');
    await a.put('k', 'put');
    expect(await b.getOrLoad('k', {}, () => 'b')).toBe('put');

    await a.put('k', 'private', { l2: false });
    const c = await l2Cache({ prefix }); // cold
    expect(await c.getOrLoad('k', {}, () => 'c')).toBe('c'); // the shared entry was dropped
    await a.getOrLoad('private', { l2: false }, () => 'p');
    await a.getOrLoad('big', {}, () => 'x'.repeat(200));
    expect(await b.getOrLoad('private', {}, () => 'b3')).toBe('b3');
    expect(await b.getOrLoad('big', {}, () => 'b4')).toBe('b4');
    expect(a.l2Stats()?.skipped).toBe(2);
  });

  it('a load that an invalidation on another instance overtook stores nothing in the tier', async () => {
    const [a, b] = await pair();
    const gate = deferred<string>();
    const started = deferred<void>();
    const load = b.getOrLoad('user:1', { tags: ['users'] }, () => {
      started.resolve();
      return gate.promise;
    });
    await started.promise;
    await a.invalidateTag('users');
    gate.resolve('old');
    expect(await load).toBe('old'); // its caller gets it, as with any stale load
    expect(b.l2Stats()).toMatchObject({ fills: 0, refusedFills: 1 });
    expect(await a.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
  });

  it('a result tag invalidated during the load on another instance refuses the fill', async () => {
    const [a, b] = await pair();
    const gate = deferred<{ c: string }>();
    const started = deferred<void>();
    const opts = { resultTags: (o: { c: string }) => `customer:${o.c}` };
    const load = b.getOrLoad('order:1', opts, () => {
      started.resolve();
      return gate.promise;
    });
    await started.promise;
    await a.invalidateTag('customer:7');
    gate.resolve({ c: '7' });
    await load;
    expect(b.l2Stats()).toMatchObject({ fills: 0, refusedFills: 1 });
    // An unrelated tag bumped during a load does not refuse it.
    const gate2 = deferred<{ c: string }>();
    const started2 = deferred<void>();
    const load2 = b.getOrLoad('order:2', opts, () => {
      started2.resolve();
      return gate2.promise;
    });
    await started2.promise;
    await a.invalidateTag('customer:9');
    gate2.resolve({ c: '7' });
    await load2;
    expect(b.l2Stats()).toMatchObject({ fills: 1, refusedFills: 1 });
  });

  it('a node whose clock is 10 minutes off behaves the same (no wall clock is compared)', async () => {
    const [a, b] = await pair();
    const realNow = Date.now;
    const gate = deferred<string>();
    const started = deferred<void>();
    try {
      Date.now = () => realNow() + 600_000; // B's view: 10 minutes ahead
      const load = b.getOrLoad('user:1', { tags: ['users'] }, () => {
        started.resolve();
        return gate.promise;
      });
      await started.promise;
      Date.now = () => realNow() - 600_000; // A's view: 10 minutes behind
      await a.invalidateTag('users');
      Date.now = () => realNow() + 600_000;
      gate.resolve('old');
      await load;
      expect(b.l2Stats()?.refusedFills).toBe(1);
    } finally {
      Date.now = realNow;
    }
    expect(await a.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
  });

  it('with the Redis bus: after an invalidation on A reaches B, B never reloads the old value from the tier', async () => {
    const prefix = uniquePrefix();
    const channel = prefix.replace(/[^A-Za-z0-9._:-]/g, '-');
    const bus = (): HydraCacheSettings['bus'] => ({
      transport: redisBus({ url: SHARED_REDIS_URL, channel, maxReconnectDelay: 100 }),
      onWarn: () => undefined,
    });
    const a = await l2Cache({ prefix }, { bus: bus() });
    const b = await l2Cache({ prefix }, { bus: bus() });
    await pollUntil(() => Boolean(a.busStats()?.connected && b.busStats()?.connected), 'the bus');
    await a.getOrLoad('user:1', { tags: ['users'] }, () => 'old');
    expect(await b.getOrLoad('user:1', { tags: ['users'] }, () => 'b')).toBe('old');
    await a.invalidateTag('users');
    await pollUntil(async () => !(await b.containsKey('user:1')), 'the invalidation to reach B');
    expect(await b.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
  });

  it('refuses codec: null and a codec whose encodings only its own instance decodes', () => {
    const tier = redisL2({ prefix: uniquePrefix(), url: SHARED_REDIS_URL });
    try {
      expect(() => new HydraCache({ l2: tier, codec: null })).toThrow(
        expect.objectContaining({ code: 'E_INVALID_OPTION' }),
      );
      expect(() => HydraCache.local().noCopy().l2(tier).build()).toThrow(/codec/);
      expect(
        () => new HydraCache({ l2: tier, codec: new CborCodec({ sharedStructures: true }) }),
      ).toThrow(/codec/);
      expect(() => new HydraCache({ l2: {} as never })).toThrow(/l2/);
    } finally {
      void tier.close();
    }
  });
});
