import { HydraCache, type CacheStats } from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { FaultyCodec } from '../support/codecs.js';
import { deferred } from '../support/deferred.js';
import { zeroCounters } from '../support/zero-counters.js';

const ZERO: CacheStats = { ...zeroCounters(), size: 0 };

describe('stats()', () => {
  let cache: HydraCache;

  beforeEach(() => {
    cache = HydraCache.local().build();
  });

  it('starts at zero', () => {
    expect(cache.stats()).toEqual(ZERO);
  });

  it('returns a frozen snapshot that later operations do not change', async () => {
    const before = cache.stats();
    await cache.put('k', 1);
    await cache.get('k');
    expect(before).toEqual(ZERO);
    expect(Object.isFrozen(before)).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 1, size: 1 });
  });

  describe('hits and misses', () => {
    it('get counts a hit for a stored key and a miss for a missing one', async () => {
      await cache.put('k', 1);
      await cache.get('k');
      await cache.get('k');
      await cache.get('missing');
      expect(cache.stats()).toMatchObject({ hits: 2, misses: 1 });
    });

    it('get of an expired entry is a miss', async () => {
      installFakeClock();
      try {
        await cache.put('k', 1, { ttl: 10 });
        advance(10);
        await cache.get('k');
        expect(cache.stats()).toMatchObject({ hits: 0, misses: 1 });
      } finally {
        uninstallFakeClock();
      }
    });

    it('get of an undecodable entry is a miss', async () => {
      const codec = new FaultyCodec();
      const faulty = HydraCache.local().codec(codec).build();
      await faulty.put('k', 1);
      codec.failDecodes = 1;
      await faulty.get('k').catch(() => undefined);
      expect(faulty.stats()).toMatchObject({ hits: 0, misses: 1 });
    });

    it('a null value is a hit', async () => {
      await cache.put('k', null);
      await cache.get('k');
      expect(cache.stats()).toMatchObject({ hits: 1, misses: 0 });
    });

    it('getOrLoad counts a hit when cached, and a miss plus a load otherwise', async () => {
      await cache.getOrLoad('k', undefined, () => 1);
      expect(cache.stats()).toMatchObject({ hits: 0, misses: 1, loads: 1 });
      await cache.getOrLoad('k', undefined, () => 1);
      expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, loads: 1 });
    });

    it('every getOrLoad caller that misses counts a miss; joiners also count a join', async () => {
      const gate = deferred<number>();
      const calls = Array.from({ length: 4 }, () =>
        cache.getOrLoad('k', undefined, () => gate.promise),
      );
      gate.resolve(1);
      await Promise.all(calls);
      expect(cache.stats()).toMatchObject({ misses: 4, loads: 1, singleFlightJoins: 3, hits: 0 });
    });

    it('put, containsKey, invalidation and flush count no hits or misses', async () => {
      await cache.put('k', 1);
      await cache.containsKey('k');
      await cache.containsKey('missing');
      await cache.invalidateKey('k');
      await cache.invalidateTag('t');
      await cache.flush();
      expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, loads: 0 });
    });
  });

  describe('loads', () => {
    it('counts a load whose loader fails, returns undefined or a plain value', async () => {
      await cache
        .getOrLoad('a', undefined, () => Promise.reject(new Error('x')))
        .catch(() => undefined);
      await cache.getOrLoad('b', undefined, async () => undefined);
      await cache.getOrLoad('c', undefined, () => 3);
      expect(cache.stats()).toMatchObject({ loads: 3, misses: 3, size: 1 });
    });

    it('counts a load that throws synchronously', async () => {
      await cache
        .getOrLoad('a', undefined, () => {
          throw new Error('sync');
        })
        .catch(() => undefined);
      expect(cache.stats().loads).toBe(1);
    });

    it('does not count a call rejected for bad input', async () => {
      await cache.getOrLoad('k', undefined, 5 as never).catch(() => undefined);
      await cache.getOrLoad('k', { ttl: -1 }, () => 1).catch(() => undefined);
      expect(cache.stats()).toEqual(ZERO);
    });
  });

  describe('invalidations', () => {
    it('invalidateKey and remove count one per live entry removed', async () => {
      await cache.put('a', 1);
      await cache.put('b', 2);
      await cache.invalidateKey('a');
      await cache.remove('b');
      await cache.invalidateKey('missing');
      expect(cache.stats()).toMatchObject({ invalidations: 2, size: 0 });
    });

    it('invalidateTag counts every entry it removes', async () => {
      for (const k of ['a', 'b', 'c']) await cache.put(k, 1, { tags: ['t'] });
      await cache.put('d', 1, { tags: ['other'] });
      expect(await cache.invalidateTag('t')).toBe(3);
      expect(await cache.invalidateTag('t')).toBe(0);
      expect(cache.stats()).toMatchObject({ invalidations: 3, size: 1 });
    });

    it('an entry with several invalidated tags counts once', async () => {
      await cache.put('a', 1, { tags: ['x', 'y'] });
      expect(await cache.invalidateTags(['x', 'y'])).toBe(1);
      expect(cache.stats().invalidations).toBe(1);
    });

    it('flush counts none', async () => {
      await cache.put('a', 1, { tags: ['t'] });
      await cache.put('b', 1);
      await cache.flush();
      expect(cache.stats()).toMatchObject({ invalidations: 0, size: 0 });
    });

    it('replacing an entry with put counts none', async () => {
      await cache.put('a', 1);
      await cache.put('a', 2);
      expect(cache.stats()).toMatchObject({ invalidations: 0, evictions: 0, size: 1 });
    });
  });

  describe('staleLoadDiscards', () => {
    it('counts once per discarded load, not per waiting caller', async () => {
      const gate = deferred<number>();
      const calls = [1, 2, 3].map(() => cache.getOrLoad('k', { tags: ['t'] }, () => gate.promise));
      await cache.invalidateTag('t');
      gate.resolve(1);
      await Promise.all(calls);
      expect(cache.stats()).toMatchObject({ staleLoadDiscards: 1, invalidations: 0 });
    });
  });

  describe('evictions and size', () => {
    it('evictions counts entries pushed out by capacity; size counts stored entries', async () => {
      const small = HydraCache.local().maxCapacity(2).build();
      for (let i = 0; i < 5; i++) await small.put(`k${i}`, i);
      expect(small.stats()).toMatchObject({ evictions: 3, size: 2 });
      await small.invalidateKey('k4');
      expect(small.stats()).toMatchObject({ evictions: 3, size: 1, invalidations: 1 });
    });
  });
});
