import { jest } from '@jest/globals';
import { CacheOptions, HydraCache } from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { deferred } from '../support/deferred.js';

describe('TTL and expiry', () => {
  beforeEach(() => installFakeClock());
  afterEach(() => uninstallFakeClock());

  describe('default TTL', () => {
    it('expires entries exactly defaultTtl ms after they were stored', async () => {
      const cache = HydraCache.local().defaultTtl(1_000).build();
      await cache.put('k', 'v');
      advance(999);
      expect(await cache.get('k')).toBe('v');
      advance(1);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('defaults to 300 000 ms (5 minutes)', async () => {
      const cache = HydraCache.local().build();
      await cache.put('k', 'v');
      advance(299_999);
      expect(await cache.containsKey('k')).toBe(true);
      advance(1);
      expect(await cache.containsKey('k')).toBe(false);
    });

    it('applies to values stored by getOrLoad', async () => {
      const cache = HydraCache.local().defaultTtl(1_000).build();
      const loader = jest.fn(async () => 'v');
      await cache.getOrLoad('k', undefined, loader);
      advance(1_000);
      await cache.getOrLoad('k', undefined, loader);
      expect(loader).toHaveBeenCalledTimes(2);
    });

    it('Infinity as default TTL means entries never expire', async () => {
      const cache = HydraCache.local().defaultTtl(Infinity).build();
      await cache.put('k', 'v');
      advance(10 * 365 * 24 * 3_600_000);
      expect(await cache.get('k')).toBe('v');
    });
  });

  describe('per-entry TTL', () => {
    it('overrides a longer default', async () => {
      const cache = HydraCache.local().defaultTtl(60_000).build();
      await cache.put('short', 1, CacheOptions.new().ttl(100));
      await cache.put('default', 2);
      advance(100);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('default')).toBe(2);
    });

    it('overrides a shorter default', async () => {
      const cache = HydraCache.local().defaultTtl(100).build();
      await cache.put('long', 1, { ttl: 60_000 });
      await cache.put('default', 2);
      advance(100);
      expect(await cache.get('default')).toBeUndefined();
      advance(59_899);
      expect(await cache.get('long')).toBe(1);
      advance(1);
      expect(await cache.get('long')).toBeUndefined();
    });

    it('Infinity keeps the entry forever, even with a finite default', async () => {
      const cache = HydraCache.local().defaultTtl(100).build();
      await cache.put('k', 'v', CacheOptions.new().ttl(Infinity));
      advance(10 * 365 * 24 * 3_600_000);
      expect(await cache.get('k')).toBe('v');
    });

    it('a finite TTL overrides an Infinity default', async () => {
      const cache = HydraCache.local().defaultTtl(Infinity).build();
      await cache.put('k', 'v', { ttl: 50 });
      advance(50);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('applies to getOrLoad results, counted from when the load finished', async () => {
      const cache = HydraCache.local().build();
      const gate = deferred<string>();
      const loading = cache.getOrLoad('k', CacheOptions.new().ttl(1_000), () => gate.promise);
      advance(500);
      gate.resolve('v');
      await loading;
      advance(999);
      expect(await cache.get('k')).toBe('v');
      advance(1);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('a later put restarts the TTL with its own options', async () => {
      const cache = HydraCache.local().build();
      await cache.put('k', 1, { ttl: 1_000 });
      advance(900);
      await cache.put('k', 2, { ttl: 1_000 });
      advance(900);
      expect(await cache.get('k')).toBe(2);
      advance(100);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('reads do not extend the TTL', async () => {
      const cache = HydraCache.local().build();
      await cache.put('k', 1, { ttl: 1_000 });
      advance(999);
      expect(await cache.get('k')).toBe(1);
      expect(await cache.getOrLoad('k', undefined, () => 2)).toBe(1);
      advance(1);
      expect(await cache.get('k')).toBeUndefined();
    });
  });

  describe('expired entries are absent to every read', () => {
    let cache: HydraCache;

    beforeEach(async () => {
      cache = HydraCache.local().defaultTtl(1_000).build();
      await cache.put('k', 'old', { tags: ['t'] });
      advance(1_000);
    });

    it('get reports a miss and removes the entry', async () => {
      expect(await cache.get('k')).toBeUndefined();
      expect(cache.stats()).toMatchObject({ misses: 1, hits: 0, size: 0 });
    });

    it('getOrLoad reloads', async () => {
      const loader = jest.fn(async () => 'new');
      expect(await cache.getOrLoad('k', undefined, loader)).toBe('new');
      expect(loader).toHaveBeenCalledTimes(1);
      expect(cache.stats()).toMatchObject({ misses: 1, hits: 0, loads: 1, size: 1 });
    });

    it('containsKey reports false and removes the entry', async () => {
      expect(await cache.containsKey('k')).toBe(false);
      expect(cache.stats().size).toBe(0);
      expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0 });
    });

    it('invalidateKey returns false, counts nothing and removes the entry', async () => {
      expect(await cache.invalidateKey('k')).toBe(false);
      expect(cache.stats()).toMatchObject({ invalidations: 0, size: 0 });
      expect(cache.diagnostics().indexedTags).toBe(0);
    });

    it('invalidateTag does not count it but removes it', async () => {
      await cache.put('live', 'v', { tags: ['t'] });
      expect(await cache.invalidateTag('t')).toBe(1);
      expect(cache.stats()).toMatchObject({ invalidations: 1, size: 0 });
    });

    it('expiry is not counted as an eviction', async () => {
      await cache.get('k');
      expect(cache.stats().evictions).toBe(0);
    });
  });

  it("keeps the process alive with no timer (its one clock timer is unref'd)", async () => {
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    const cache = HydraCache.local().defaultTtl(1_000).build();
    await cache.put('a', 1);
    await cache.put('b', 2, { ttl: 50 });
    await cache.getOrLoad('c', undefined, async () => 3);
    await cache.get('a');
    await cache.get('b');
    const timers = setTimeoutSpy.mock.results.map((r) => r.value as NodeJS.Timeout);
    setTimeoutSpy.mockRestore();
    expect(timers.every((timer) => !timer.hasRef())).toBe(true);
    expect(jest.getTimerCount()).toBeLessThanOrEqual(1);
  });
});
