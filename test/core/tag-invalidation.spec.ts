import { HydraCache } from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { deferred, type Deferred } from '../support/deferred.js';

describe('tag invalidation', () => {
  let cache: HydraCache;

  beforeEach(() => {
    cache = HydraCache.local().build();
  });

  it('removes every entry carrying the tag and returns how many', async () => {
    await cache.put('user:1', 1, { tags: ['users', 'user:1'] });
    await cache.put('user:2', 2, { tags: ['users', 'user:2'] });
    await cache.put('post:1', 3, { tags: ['posts'] });
    expect(await cache.invalidateTag('users')).toBe(2);
    expect(await cache.get('user:1')).toBeUndefined();
    expect(await cache.get('user:2')).toBeUndefined();
    expect(await cache.get('post:1')).toBe(3);
  });

  it('an entry goes away through any of its tags, and its other tags forget it', async () => {
    await cache.put('k', 1, { tags: ['a', 'b'] });
    expect(await cache.invalidateTag('b')).toBe(1);
    expect(await cache.invalidateTag('a')).toBe(0);
    expect(cache.diagnostics().indexedTags).toBe(0);
  });

  it('returns 0 for a tag nothing carries', async () => {
    await cache.put('k', 1, { tags: ['a'] });
    expect(await cache.invalidateTag('nope')).toBe(0);
    expect(await cache.get('k')).toBe(1);
  });

  it('matches tags exactly (no prefix or pattern matching)', async () => {
    await cache.put('k1', 1, { tags: ['user:1'] });
    await cache.put('k2', 2, { tags: ['user:10'] });
    await cache.put('k3', 3, { tags: ['user'] });
    expect(await cache.invalidateTag('user:1')).toBe(1);
    expect(await cache.invalidateTag('user:*')).toBe(0);
    expect(cache.stats().size).toBe(2);
  });

  it('entries stored after an invalidation are not affected by it', async () => {
    await cache.put('k', 1, { tags: ['t'] });
    await cache.invalidateTag('t');
    await cache.put('k', 2, { tags: ['t'] });
    await cache.getOrLoad('k2', { tags: ['t'] }, () => 3);
    expect(await cache.get('k')).toBe(2);
    expect(await cache.get('k2')).toBe(3);
  });

  it('tags given twice to one entry index it once', async () => {
    await cache.put('k', 1, { tags: ['t', 't'] });
    expect(await cache.invalidateTag('t')).toBe(1);
    expect(cache.diagnostics().indexedTags).toBe(0);
  });

  it('invalidateTags sums the entries removed per tag', async () => {
    await cache.put('a', 1, { tags: ['x'] });
    await cache.put('b', 1, { tags: ['y'] });
    await cache.put('c', 1, { tags: ['z'] });
    expect(await cache.invalidateTags(['x', 'y', 'missing'])).toBe(2);
    expect(await cache.invalidateTags('z')).toBe(1);
    expect(cache.stats().size).toBe(0);
  });

  it('the empty string is a valid tag', async () => {
    await cache.put('k', 1, { tags: [''] });
    expect(await cache.invalidateTag('')).toBe(1);
  });
});

describe('bounded bookkeeping (diagnostics)', () => {
  it('the tag index only holds tags of stored entries, through every way of removing them', async () => {
    installFakeClock();
    try {
      const cache = HydraCache.local().maxCapacity(10).build();
      for (let i = 0; i < 200; i++) {
        await cache.put(`k${i}`, i, { tags: [`own:${i}`, `group:${i % 7}`], ttl: 50 });
        if (i % 4 === 0) await cache.invalidateKey(`k${i}`);
        if (i % 9 === 0) await cache.invalidateTag(`group:${i % 7}`);
        const { entries, indexedTags } = cache.diagnostics();
        expect(entries).toBeLessThanOrEqual(10);
        expect(indexedTags).toBeLessThanOrEqual(entries * 2);
      }
      advance(50);
      for (let i = 0; i < 200; i++) await cache.containsKey(`k${i}`);
      expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0 });
      for (let i = 0; i < 5; i++) await cache.put(`again${i}`, i, { tags: ['x'] });
      await cache.flush();
      expect(cache.diagnostics()).toEqual({
        entries: 0,
        indexedTags: 0,
        inFlightLoads: 0,
        tagGenerations: 0,
      });
    } finally {
      uninstallFakeClock();
    }
  });

  it('holds no in-flight loads or tag generations once loads have settled, whatever happened', async () => {
    const cache = HydraCache.local().maxCapacity(5).build();
    for (let round = 0; round < 20; round++) {
      const gates: Deferred<number>[] = [];
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 6; i++) {
        const gate = deferred<number>();
        gate.promise.catch(() => undefined); // a hit never calls the loader
        gates.push(gate);
        calls.push(
          cache
            .getOrLoad(
              `k${(round + i) % 8}`,
              { tags: [`t${i % 3}`], resultTags: (v: number) => [`r${v % 4}`] },
              () => gate.promise,
            )
            .catch(() => undefined),
        );
      }
      expect(cache.diagnostics().inFlightLoads).toBeLessThanOrEqual(6);
      await cache.invalidateTag(`t${round % 3}`);
      await cache.invalidateTag(`r${round % 4}`);
      await cache.invalidateTag(`unrelated:${round}`);
      if (round % 5 === 0) await cache.flush();
      if (round % 3 === 0) await cache.invalidateKey(`k${round % 8}`);
      if (round % 4 === 0) await cache.put(`k${(round + 1) % 8}`, -1);
      gates.forEach((g, i) => (i === 2 ? g.reject(new Error('x')) : g.resolve(round + i)));
      await Promise.all(calls);
      expect(cache.diagnostics()).toMatchObject({ inFlightLoads: 0, tagGenerations: 0 });
      expect(cache.diagnostics().entries).toBeLessThanOrEqual(5);
    }
  });

  it('tag generations stay bounded by the distinct tags invalidated while a load hangs', async () => {
    const cache = HydraCache.local().build();
    const hanging = deferred<number>();
    const call = cache.getOrLoad('slow', { resultTags: () => ['r'] }, () => hanging.promise);
    for (let i = 0; i < 1_000; i++) await cache.invalidateTag(`t${i % 3}`);
    expect(cache.diagnostics().tagGenerations).toBeLessThanOrEqual(3);
    hanging.resolve(1);
    await call;
    expect(cache.diagnostics().tagGenerations).toBe(0);
  });

  it('records no tag generations when no load is running', async () => {
    const cache = HydraCache.local().build();
    for (let i = 0; i < 100; i++) await cache.invalidateTag(`t${i}`);
    expect(cache.diagnostics().tagGenerations).toBe(0);
  });

  it('a superseded load leaves the in-flight map at once', async () => {
    const cache = HydraCache.local().build();
    const gate = deferred<number>();
    const call = cache.getOrLoad('k', { tags: ['t'] }, () => gate.promise);
    expect(cache.diagnostics().inFlightLoads).toBe(1);
    await cache.invalidateTag('t');
    expect(cache.diagnostics().inFlightLoads).toBe(0);
    gate.resolve(1);
    await call;
  });
});
