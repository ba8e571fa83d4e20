import { HydraCache } from '../../lib/index.js';
import { GenerationalOrder } from '../support/generational-order.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';

async function present(cache: HydraCache, keys: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const key of keys) if (await cache.containsKey(key)) out.push(key);
  return out;
}

describe('maxCapacity', () => {
  it('is a hard bound on stored entries, checked after every put', async () => {
    const cache = HydraCache.local().maxCapacity(3).build();
    for (let i = 0; i < 20; i++) {
      await cache.put(`k${i}`, i);
      expect(cache.stats().size).toBe(Math.min(i + 1, 3));
      expect(cache.diagnostics().entries).toBe(Math.min(i + 1, 3));
    }
    expect(cache.stats().evictions).toBe(17);
    expect(await present(cache, ['k16', 'k17', 'k18', 'k19'])).toEqual(['k17', 'k18', 'k19']);
  });

  it('bounds values stored by getOrLoad too', async () => {
    const cache = HydraCache.local().maxCapacity(2).build();
    for (let i = 0; i < 10; i++) await cache.getOrLoad(`k${i}`, undefined, () => i);
    expect(cache.stats()).toMatchObject({ size: 2, evictions: 8 });
  });

  it('stays bounded under heavy churn mixing reads, writes and removals', async () => {
    const capacity = 50;
    const cache = HydraCache.local().maxCapacity(capacity).build();
    for (let i = 0; i < 2_000; i++) {
      const key = `k${(i * 7919) % 400}`;
      switch (i % 5) {
        case 0:
        case 1:
          await cache.put(key, i, { tags: [`t${i % 13}`] });
          break;
        case 2:
          await cache.get(key);
          break;
        case 3:
          await cache.getOrLoad(key, { tags: [`t${i % 11}`] }, () => i);
          break;
        default:
          if (i % 15 === 4) await cache.invalidateKey(key);
          else await cache.get(`k${i % 400}`);
      }
      const { entries, indexedTags } = cache.diagnostics();
      expect(entries).toBeLessThanOrEqual(capacity);
      expect(cache.stats().size).toBe(entries);
      expect(indexedTags).toBeLessThanOrEqual(13);
    }
    expect(cache.stats().size).toBe(capacity);
  });

  it('works with a capacity of one', async () => {
    const cache = HydraCache.local().maxCapacity(1).build();
    await cache.put('a', 1);
    await cache.put('b', 2);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBe(2);
    await cache.put('b', 3);
    expect(cache.stats()).toMatchObject({ size: 1, evictions: 1 });
  });

  it('defaults to 10 000 entries', async () => {
    const cache = HydraCache.local().build();
    for (let i = 0; i <= 10_000; i++) await cache.put(`k${i}`, i);
    expect(cache.stats()).toMatchObject({ size: 10_000, evictions: 1 });
    expect(await cache.containsKey('k0')).toBe(false);
    expect(await cache.containsKey('k1')).toBe(true);
    expect(await cache.containsKey('k10000')).toBe(true);
  });

  describe('eviction order (quick-lru generations)', () => {
    it('evicts the least recently written key when nothing was read', async () => {
      const cache = HydraCache.local().maxCapacity(3).build();
      for (const k of ['a', 'b', 'c', 'd']) await cache.put(k, k);
      expect(await present(cache, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
    });

    it('does not reorder a key read while it is still in the newest generation', async () => {
      // quick-lru's scheme: a read only promotes a key from the old generation. 'a' was read
      // before the generation holding a, b, c filled up, so it is still the oldest write.
      const cache = HydraCache.local().maxCapacity(3).build();
      await cache.put('a', 1);
      await cache.put('b', 2);
      expect(await cache.get('a')).toBe(1);
      await cache.put('c', 3);
      await cache.put('d', 4);
      expect(await present(cache, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
    });

    it('keeps a key read with get after the cache filled up', async () => {
      const cache = HydraCache.local().maxCapacity(3).build();
      for (const k of ['a', 'b', 'c']) await cache.put(k, k);
      await cache.get('a');
      await cache.put('d', 'd');
      await cache.put('e', 'e');
      expect(await present(cache, ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'd', 'e']);
    });

    it('keeps a key hit by getOrLoad', async () => {
      const cache = HydraCache.local().maxCapacity(3).build();
      await cache.put('a', 1);
      await cache.put('b', 2);
      await cache.put('c', 3);
      await cache.put('d', 4); // evicts a
      expect(await cache.getOrLoad('b', undefined, () => -1)).toBe(2);
      await cache.put('e', 5);
      expect(await present(cache, ['b', 'c', 'd', 'e'])).toEqual(['b', 'd', 'e']);
    });

    it('treats a re-put key as recently used without evicting anything', async () => {
      const cache = HydraCache.local().maxCapacity(3).build();
      for (const k of ['a', 'b', 'c']) await cache.put(k, 1);
      await cache.put('a', 2);
      expect(cache.stats().evictions).toBe(0);
      await cache.put('d', 1);
      expect(await present(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    });

    it("follows quick-lru's two-generation order over a long mixed sequence", async () => {
      const capacity = 3;
      const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);
      const cache = HydraCache.local().maxCapacity(capacity).build();
      const order = new GenerationalOrder(capacity);
      let seed = 12345;
      const next = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.floor((seed / 2147483648) * n);
      };
      for (let round = 0; round < 300; round++) {
        const k = keys[next(keys.length)];
        if (next(2) === 0) {
          const hit = (await cache.get(k)) !== undefined;
          expect(hit).toBe(order.has(k));
          if (hit) order.read(k);
        } else {
          order.write(k);
          await cache.put(k, round);
        }
        expect(await present(cache, keys)).toEqual(keys.filter((key) => order.has(key)));
      }
    });
  });

  describe('evictions counter', () => {
    it('does not count replacements, invalidations, flushes or expiry', async () => {
      installFakeClock();
      try {
        const cache = HydraCache.local().maxCapacity(3).build();
        await cache.put('a', 1, { tags: ['t'], ttl: 10 });
        await cache.put('a', 2, { tags: ['t'], ttl: 10 });
        await cache.put('b', 1, { tags: ['t'] });
        await cache.put('c', 1);
        await cache.invalidateTag('t');
        await cache.invalidateKey('c');
        await cache.put('d', 1, { ttl: 10 });
        advance(10);
        await cache.get('d');
        await cache.put('e', 1);
        await cache.flush();
        expect(cache.stats().evictions).toBe(0);
      } finally {
        uninstallFakeClock();
      }
    });
  });

  describe('tag index and capacity', () => {
    it('drops evicted keys from the tag index', async () => {
      const cache = HydraCache.local().maxCapacity(2).build();
      for (let i = 0; i < 100; i++) await cache.put(`k${i}`, i, { tags: [`own:${i}`, 'shared'] });
      expect(cache.diagnostics()).toMatchObject({ entries: 2, indexedTags: 3 });
      expect(await cache.invalidateTag('own:0')).toBe(0);
      expect(await cache.invalidateTag('shared')).toBe(2);
      expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0 });
      expect(cache.stats()).toMatchObject({ invalidations: 2, evictions: 98 });
    });

    it('counts expired-but-unread entries against the bound and evicts them first when least recent', async () => {
      installFakeClock();
      try {
        const cache = HydraCache.local().maxCapacity(3).build();
        await cache.put('x1', 1, { ttl: 10, tags: ['x'] });
        await cache.put('x2', 2, { ttl: 10, tags: ['x'] });
        await cache.put('live', 3);
        advance(10);
        await cache.put('n1', 4, { tags: ['n'] });
        await cache.put('n2', 5, { tags: ['n'] });
        expect(cache.stats().size).toBe(3);
        expect(cache.diagnostics()).toMatchObject({ entries: 3, indexedTags: 1 });
        expect(await present(cache, ['live', 'n1', 'n2'])).toEqual(['live', 'n1', 'n2']);
      } finally {
        uninstallFakeClock();
      }
    });
  });
});
