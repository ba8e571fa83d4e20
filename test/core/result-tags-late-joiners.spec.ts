import { HydraCache } from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { deferred, flushMicrotasks, type Deferred } from '../support/deferred.js';

/*
 * A caller that arrives after an invalidation (or expire) of a result tag has completed must
 * never get a value loaded before it, even when the only load of its key running then is a
 * background refresh that started earlier: nobody waits on that refresh, so it has no "first
 * caller" that could take its result.
 */

interface Post {
  author: number;
  version: string;
}

describe.each([
  ['copied values', () => new HydraCache()],
  ['noCopy (callers share a promise)', () => HydraCache.local().noCopy().build()],
])('callers joining a load with result tags after an invalidation (%s)', (_label, build) => {
  let cache: HydraCache;
  let gates: Deferred<Post>[];
  const loader = (): Promise<Post> => {
    gates.push(deferred<Post>());
    return gates[gates.length - 1]!.promise;
  };
  const options = (timeout: number) => ({
    ttl: 1_000,
    grace: 10_000,
    timeout,
    resultTags: (post: Post) => [`user:${post.author}`],
  });

  beforeEach(async () => {
    installFakeClock();
    cache = build();
    gates = [];
    await cache.getOrLoad('post:1', options(0), async () => ({ author: 9, version: 'v1' }));
    advance(1_500);
    // Past its TTL: served stale at once, refreshed in the background (the load gates[0] holds).
    expect(await cache.getOrLoadWithStatus('post:1', options(0), loader)).toEqual({
      value: { author: 9, version: 'v1' },
      status: 'stale',
    });
    expect(gates).toHaveLength(1);
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  it.each([
    ['invalidateTag', 0],
    ['invalidateTag', 1_000],
    ['expireTag', 1_000],
  ] as const)(
    'after %s (timeout %d): a fresh load, not the background refresh’s earlier result',
    async (how, timeout) => {
      await cache[how]('user:9');
      const late = cache.getOrLoadWithStatus('post:1', options(timeout), loader);
      gates[0]!.resolve({ author: 9, version: 'before' });
      await flushMicrotasks(20);
      expect(gates).toHaveLength(2);
      gates[1]!.resolve({ author: 9, version: 'after' });
      expect(await late).toEqual({ value: { author: 9, version: 'after' }, status: 'miss' });
      expect(await cache.get('post:1')).toEqual({ author: 9, version: 'after' });
      expect(cache.stats()).toMatchObject({ loads: 3, staleLoadDiscards: 1 });
      expect(cache.diagnostics()).toMatchObject({ inFlightLoads: 0, tagGenerations: 0 });
    },
  );

  it('after expireTag with timeout 0: the stale value, as an expire allows, and no second load', async () => {
    await cache.expireTag('user:9');
    const late = cache.getOrLoadWithStatus('post:1', options(0), loader);
    expect(await late).toEqual({ value: { author: 9, version: 'v1' }, status: 'stale' });
    gates[0]!.resolve({ author: 9, version: 'before' });
    await flushMicrotasks(20);
    expect(gates).toHaveLength(1);
    expect(await cache.containsKey('post:1')).toBe(false);
  });

  it('callers that joined before any invalidation keep the result', async () => {
    const early = cache.getOrLoadWithStatus('post:1', options(1_000), loader);
    await cache.invalidateTag('user:9');
    gates[0]!.resolve({ author: 9, version: 'before' });
    expect(await early).toEqual({ value: { author: 9, version: 'before' }, status: 'miss' });
    expect(gates).toHaveLength(1);
    expect(await cache.containsKey('post:1')).toBe(false);
  });

  it('an unrelated invalidation makes a later caller wait for no second load', async () => {
    await cache.invalidateTag('user:8');
    const late = cache.getOrLoadWithStatus('post:1', options(1_000), loader);
    gates[0]!.resolve({ author: 9, version: 'v2' });
    expect(await late).toEqual({ value: { author: 9, version: 'v2' }, status: 'miss' });
    expect(gates).toHaveLength(1);
  });
});
