import { jest } from '@jest/globals';
import { CacheOptions, HydraCache, TagSet } from '../../lib/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

const USER_TAGS = CacheOptions.new().tags(['user:42', 'users']);

describe('stale-load safety', () => {
  let cache: HydraCache;

  beforeEach(() => {
    cache = HydraCache.local().build();
  });

  describe('tag invalidated while a tagged load runs', () => {
    it('returns the result to waiting callers but does not store it, counting one discard', async () => {
      const gate = deferred<string>();
      const waiting = [
        cache.getOrLoad('user:42', USER_TAGS, () => gate.promise),
        cache.getOrLoad('user:42', USER_TAGS, () => gate.promise),
      ];
      await flushMicrotasks();
      expect(await cache.invalidateTag('users')).toBe(0);
      gate.resolve('old name');
      expect(await Promise.all(waiting)).toEqual(['old name', 'old name']);
      expect(await cache.containsKey('user:42')).toBe(false);
      expect(cache.stats()).toMatchObject({ staleLoadDiscards: 1, size: 0 });
    });

    it('counts one discard however many times the load was invalidated', async () => {
      const gate = deferred<string>();
      const waiting = cache.getOrLoad('user:42', USER_TAGS, () => gate.promise);
      await cache.invalidateTag('users');
      await cache.invalidateTag('user:42');
      await cache.invalidateKey('user:42');
      await cache.flush();
      gate.resolve('v');
      await waiting;
      expect(cache.stats().staleLoadDiscards).toBe(1);
    });

    it('makes callers after the invalidation start a fresh load instead of joining the stale one', async () => {
      const stale = deferred<string>();
      const fresh = deferred<string>();
      const staleLoader = jest.fn(() => stale.promise);
      const freshLoader = jest.fn(() => fresh.promise);
      const before = cache.getOrLoad('user:42', USER_TAGS, staleLoader);
      const joiner = cache.getOrLoad('user:42', USER_TAGS, freshLoader);
      await cache.invalidateTag('user:42');
      const after = cache.getOrLoad('user:42', USER_TAGS, freshLoader);
      const afterJoiner = cache.getOrLoad('user:42', USER_TAGS, staleLoader);
      expect(staleLoader).toHaveBeenCalledTimes(1);
      expect(freshLoader).toHaveBeenCalledTimes(1);
      stale.resolve('stale');
      fresh.resolve('fresh');
      expect(await Promise.all([before, joiner, after, afterJoiner])).toEqual([
        'stale',
        'stale',
        'fresh',
        'fresh',
      ]);
      expect(cache.stats()).toMatchObject({ loads: 2, singleFlightJoins: 2, staleLoadDiscards: 1 });
      expect(await cache.get('user:42')).toBe('fresh');
    });

    it.each([
      ['the stale load finishes first', ['stale', 'fresh'] as const],
      ['the fresh load finishes first', ['fresh', 'stale'] as const],
    ])('never lets the stale load overwrite the fresh value when %s', async (_label, order) => {
      const gates = { stale: deferred<string>(), fresh: deferred<string>() };
      const staleCall = cache.getOrLoad('user:42', USER_TAGS, () => gates.stale.promise);
      await cache.invalidateTag('users');
      const freshCall = cache.getOrLoad('user:42', USER_TAGS, () => gates.fresh.promise);
      for (const which of order) {
        gates[which].resolve(which);
        await flushMicrotasks();
      }
      expect(await staleCall).toBe('stale');
      expect(await freshCall).toBe('fresh');
      expect(await cache.get('user:42')).toBe('fresh');
      expect(cache.stats()).toMatchObject({ staleLoadDiscards: 1, size: 1 });
      // The fresh value is indexed under its tags and invalidates normally.
      expect(await cache.invalidateTag('user:42')).toBe(1);
    });

    it('keeps the fresh load joinable after the stale one finishes', async () => {
      const stale = deferred<string>();
      const fresh = deferred<string>();
      const staleCall = cache.getOrLoad('k', { tags: ['t'] }, () => stale.promise);
      await cache.invalidateTag('t');
      const freshCall = cache.getOrLoad('k', { tags: ['t'] }, () => fresh.promise);
      stale.resolve('stale');
      await staleCall;
      const lateLoader = jest.fn(async () => 'late');
      const late = cache.getOrLoad('k', { tags: ['t'] }, lateLoader);
      fresh.resolve('fresh');
      expect(await Promise.all([freshCall, late])).toEqual(['fresh', 'fresh']);
      expect(lateLoader).not.toHaveBeenCalled();
      expect(cache.stats()).toMatchObject({ loads: 2, singleFlightJoins: 1 });
    });

    it('stores a load whose tags were not the invalidated one', async () => {
      const gate = deferred<string>();
      const pending = cache.getOrLoad('user:42', USER_TAGS, () => gate.promise);
      await cache.invalidateTag('posts');
      gate.resolve('v');
      expect(await pending).toBe('v');
      expect(await cache.get('user:42')).toBe('v');
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });

    it('only discards the loads that declared the invalidated tag', async () => {
      const a = deferred<string>();
      const b = deferred<string>();
      const loadA = cache.getOrLoad('a', { tags: ['shared', 'only-a'] }, () => a.promise);
      const loadB = cache.getOrLoad('b', { tags: ['shared'] }, () => b.promise);
      await cache.invalidateTag('only-a');
      a.resolve('A');
      b.resolve('B');
      await Promise.all([loadA, loadB]);
      expect(await cache.containsKey('a')).toBe(false);
      expect(await cache.get('b')).toBe('B');
      expect(cache.stats().staleLoadDiscards).toBe(1);
    });

    it('honours tags given as a TagSet or a plain object', async () => {
      const gate = deferred<number>();
      const pending = cache.getOrLoad(
        'k',
        CacheOptions.new().tagSet(new TagSet().tenant(7).entity('user', 1)),
        () => gate.promise,
      );
      const gate2 = deferred<number>();
      const pending2 = cache.getOrLoad('k2', { tags: 'single' }, () => gate2.promise);
      await cache.invalidateTag('tenant:7');
      await cache.invalidateTag('single');
      gate.resolve(1);
      gate2.resolve(2);
      await Promise.all([pending, pending2]);
      expect(cache.stats()).toMatchObject({ staleLoadDiscards: 2, size: 0 });
    });

    it('discards on invalidateTags of one of the tags', async () => {
      const gate = deferred<number>();
      const pending = cache.getOrLoad('k', USER_TAGS, () => gate.promise);
      await cache.invalidateTags(['other', 'users']);
      gate.resolve(1);
      await pending;
      expect(await cache.containsKey('k')).toBe(false);
    });

    it('does not count a discard for a superseded load that then fails', async () => {
      const gate = deferred<string>();
      const pending = cache.getOrLoad('k', USER_TAGS, () => gate.promise);
      await cache.invalidateTag('users');
      const failure = new Error('late failure');
      gate.reject(failure);
      await expect(pending).rejects.toBe(failure);
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });
  });

  describe('flush during a load', () => {
    it('discards the result, returns it to waiting callers, and later callers load afresh', async () => {
      const stale = deferred<string>();
      const before = cache.getOrLoad('k', USER_TAGS, () => stale.promise);
      await cache.flush();
      const freshLoader = jest.fn(async () => 'fresh');
      const after = cache.getOrLoad('k', USER_TAGS, freshLoader);
      expect(await after).toBe('fresh');
      stale.resolve('stale');
      expect(await before).toBe('stale');
      expect(freshLoader).toHaveBeenCalledTimes(1);
      expect(await cache.get('k')).toBe('fresh');
      expect(cache.stats()).toMatchObject({ staleLoadDiscards: 1, loads: 2, invalidations: 0 });
    });

    it('discards untagged loads too', async () => {
      const gate = deferred<string>();
      const pending = cache.getOrLoad('k', undefined, () => gate.promise);
      await cache.flush();
      gate.resolve('v');
      expect(await pending).toBe('v');
      expect(await cache.containsKey('k')).toBe(false);
      expect(cache.stats().staleLoadDiscards).toBe(1);
    });
  });

  describe('invalidateKey during a load', () => {
    it.each(['invalidateKey', 'remove'] as const)(
      '%s discards the result and later callers load afresh',
      async (method) => {
        const stale = deferred<string>();
        const before = cache.getOrLoad('k', undefined, () => stale.promise);
        expect(await cache[method]('k')).toBe(false);
        const fresh = deferred<string>();
        const after = cache.getOrLoad('k', undefined, () => fresh.promise);
        fresh.resolve('fresh');
        stale.resolve('stale');
        expect(await before).toBe('stale');
        expect(await after).toBe('fresh');
        expect(await cache.get('k')).toBe('fresh');
        expect(cache.stats()).toMatchObject({
          staleLoadDiscards: 1,
          loads: 2,
          singleFlightJoins: 0,
          invalidations: 0,
        });
      },
    );

    it('does not affect a load of another key', async () => {
      const gate = deferred<string>();
      const pending = cache.getOrLoad('k', undefined, () => gate.promise);
      await cache.invalidateKey('other');
      gate.resolve('v');
      await pending;
      expect(await cache.get('k')).toBe('v');
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });
  });

  describe('put during a load', () => {
    it('wins over the load, whose result is returned but not stored', async () => {
      const gate = deferred<string>();
      const waiting = cache.getOrLoad('k', USER_TAGS, () => gate.promise);
      await cache.put('k', 'put value', { tags: ['put-tag'] });
      const loader = jest.fn(async () => 'loaded later');
      expect(await cache.getOrLoad('k', USER_TAGS, loader)).toBe('put value');
      gate.resolve('loaded');
      expect(await waiting).toBe('loaded');
      expect(await cache.get('k')).toBe('put value');
      expect(loader).not.toHaveBeenCalled();
      expect(cache.stats().staleLoadDiscards).toBe(1);
      // The stored entry keeps the put's tags, not the load's.
      expect(await cache.invalidateTag('users')).toBe(0);
      expect(await cache.invalidateTag('put-tag')).toBe(1);
    });

    it('a put that fails validation does not supersede the load', async () => {
      const gate = deferred<string>();
      const waiting = cache.getOrLoad('k', undefined, () => gate.promise);
      await expect(cache.put('k', undefined)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
      await expect(cache.put('k', () => 1)).rejects.toMatchObject({ code: 'E_ENCODE' });
      gate.resolve('loaded');
      await waiting;
      expect(await cache.get('k')).toBe('loaded');
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });

    it('a put of another key does not affect the load', async () => {
      const gate = deferred<string>();
      const waiting = cache.getOrLoad('k', undefined, () => gate.promise);
      await cache.put('other', 1);
      gate.resolve('loaded');
      await waiting;
      expect(await cache.get('k')).toBe('loaded');
    });
  });

  describe('untagged loads', () => {
    it('are stored even when some tag is invalidated while they run', async () => {
      const gate = deferred<string>();
      const pending = cache.getOrLoad('k', undefined, () => gate.promise);
      await cache.invalidateTag('users');
      gate.resolve('v');
      expect(await pending).toBe('v');
      expect(await cache.get('k')).toBe('v');
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });
  });

  describe('resultTags', () => {
    it('indexes the stored value under tags computed from it', async () => {
      const v = await cache.getOrLoad(
        'post:1',
        { tags: ['posts'], resultTags: (post: { author: number }) => [`user:${post.author}`] },
        async () => ({ author: 9 }),
      );
      expect(v).toEqual({ author: 9 });
      expect(await cache.invalidateTag('user:9')).toBe(1);
      expect(await cache.containsKey('post:1')).toBe(false);
    });

    it('does not store the value when a result tag was invalidated during the load', async () => {
      const gate = deferred<{ author: number }>();
      const opts = { resultTags: (post: { author: number }) => `user:${post.author}` };
      const waiting = cache.getOrLoad('post:1', opts, () => gate.promise);
      await cache.invalidateTag('user:9');
      gate.resolve({ author: 9 });
      expect(await waiting).toEqual({ author: 9 });
      expect(await cache.containsKey('post:1')).toBe(false);
      expect(cache.stats().staleLoadDiscards).toBe(1);
      expect(cache.diagnostics()).toMatchObject({ tagGenerations: 0, inFlightLoads: 0 });
    });

    it('stores the value when the result tag was invalidated before the load started', async () => {
      await cache.invalidateTag('user:9');
      const gate = deferred<{ author: number }>();
      const waiting = cache.getOrLoad(
        'post:1',
        { resultTags: (post: { author: number }) => new TagSet().entity('user', post.author) },
        () => gate.promise,
      );
      await cache.invalidateTag('user:8');
      gate.resolve({ author: 9 });
      await waiting;
      expect(await cache.get('post:1')).toEqual({ author: 9 });
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });

    describe('callers that joined a load whose result tag was invalidated', () => {
      type Post = { author: number; version: string };
      const opts = { resultTags: (post: Post) => [`user:${post.author}`] };

      /**
       * The race these tests are about: a load starts, `invalidated` is invalidated, then
       * `joiners` callers join the load. The loader's n-th run resolves with `gates[n]`.
       */
      async function joinAfterInvalidation(invalidated = 'user:9', joiners = 1) {
        const gates: ReturnType<typeof deferred<Post>>[] = [];
        const loader = () => {
          gates.push(deferred<Post>());
          return gates[gates.length - 1]!.promise;
        };
        const first = cache.getOrLoad('post:1', opts, loader);
        await cache.invalidateTag(invalidated);
        // The result tags are unknown until the load ends, so these callers can only join it.
        const late = Array.from({ length: joiners }, () => cache.getOrLoad('post:1', opts, loader));
        expect(cache.stats()).toMatchObject({ loads: 1, singleFlightJoins: joiners });
        return { gates, first, late };
      }

      it('get a fresh load instead of the result that predates the invalidation', async () => {
        const { gates, first, late } = await joinAfterInvalidation();
        gates[0]!.resolve({ author: 9, version: 'before' });
        expect(await first).toEqual({ author: 9, version: 'before' });
        await flushMicrotasks();
        expect(gates).toHaveLength(2);
        gates[1]!.resolve({ author: 9, version: 'after' });

        expect(await late[0]).toEqual({ author: 9, version: 'after' });
        expect(await cache.get('post:1')).toEqual({ author: 9, version: 'after' });
        expect(cache.stats()).toMatchObject({ loads: 2, staleLoadDiscards: 1 });
        expect(cache.diagnostics()).toMatchObject({ inFlightLoads: 0, tagGenerations: 0 });
      });

      it('share one fresh load between them', async () => {
        const { gates, first, late } = await joinAfterInvalidation('user:9', 3);
        gates[0]!.resolve({ author: 9, version: 'before' });
        await first;
        await flushMicrotasks();
        expect(gates).toHaveLength(2);
        gates[1]!.resolve({ author: 9, version: 'after' });
        expect(await Promise.all(late)).toEqual(
          [1, 2, 3].map(() => ({ author: 9, version: 'after' })),
        );
        expect(cache.stats().loads).toBe(2);
      });

      it('load again only once, taking the second result even if it went stale too', async () => {
        const { gates, first, late } = await joinAfterInvalidation();
        gates[0]!.resolve({ author: 9, version: 'v1' });
        await first;
        await flushMicrotasks();
        await cache.invalidateTag('user:9');
        gates[1]!.resolve({ author: 9, version: 'v2' });

        expect(await late[0]).toEqual({ author: 9, version: 'v2' });
        expect(gates).toHaveLength(2);
        expect(await cache.containsKey('post:1')).toBe(false);
        expect(cache.stats()).toMatchObject({ loads: 2, staleLoadDiscards: 2 });
      });

      it('get the second load’s own error, while the first caller keeps its value', async () => {
        const { gates, first, late } = await joinAfterInvalidation();
        gates[0]!.resolve({ author: 9, version: 'v1' });
        expect(await first).toEqual({ author: 9, version: 'v1' });
        await flushMicrotasks();
        const failure = new Error('database down');
        gates[1]!.reject(failure);

        await expect(late[0]).rejects.toBe(failure);
        expect(
          await cache.getOrLoad('post:1', opts, async () => ({ author: 9, version: 'v3' })),
        ).toEqual({ author: 9, version: 'v3' });
      });

      it('keep the result when no result tag was invalidated, whatever else was', async () => {
        const { gates, first, late } = await joinAfterInvalidation('user:8');
        gates[0]!.resolve({ author: 9, version: 'v1' });
        expect(await Promise.all([first, ...late])).toEqual([
          { author: 9, version: 'v1' },
          { author: 9, version: 'v1' },
        ]);
        expect(cache.stats()).toMatchObject({ loads: 1, staleLoadDiscards: 0 });
      });
    });

    it('remembers a result-tag invalidation even after another load finished meanwhile', async () => {
      const slow = deferred<{ author: number }>();
      const quick = deferred<number>();
      const opts = { resultTags: (post: { author: number }) => [`user:${post.author}`] };
      const slowCall = cache.getOrLoad('post:1', opts, () => slow.promise);
      const quickCall = cache.getOrLoad('other', undefined, () => quick.promise);
      await cache.invalidateTag('user:9');
      quick.resolve(1);
      await quickCall;
      slow.resolve({ author: 9 });
      await slowCall;
      expect(await cache.containsKey('post:1')).toBe(false);
      expect(await cache.get('other')).toBe(1);
    });
  });

  describe('unless', () => {
    it('returns the value without caching it when unless says so', async () => {
      const loader = jest.fn(async (): Promise<string | null> => null);
      const opts = { unless: (v: string | null) => v === null };
      expect(await cache.getOrLoad('k', opts, loader)).toBeNull();
      expect(await cache.containsKey('k')).toBe(false);
      expect(await cache.getOrLoad('k', opts, loader)).toBeNull();
      expect(loader).toHaveBeenCalledTimes(2);
      expect(cache.stats().staleLoadDiscards).toBe(0);
    });

    it('caches the value when unless returns false', async () => {
      const opts = { unless: (v: string | null) => v === null };
      expect(await cache.getOrLoad('k', opts, async () => 'value')).toBe('value');
      expect(await cache.get('k')).toBe('value');
    });

    it('hands the uncached value to every joiner', async () => {
      const gate = deferred<number>();
      const opts = { unless: () => true };
      const calls = [
        cache.getOrLoad('k', opts, () => gate.promise),
        cache.getOrLoad('k', opts, () => gate.promise),
      ];
      gate.resolve(3);
      expect(await Promise.all(calls)).toEqual([3, 3]);
      expect(cache.stats()).toMatchObject({ size: 0, loads: 1, singleFlightJoins: 1 });
    });
  });

  it('keeps no tag generations once every load has finished', async () => {
    const gates = Array.from({ length: 5 }, () => deferred<number>());
    const calls = gates.map((g, i) =>
      cache.getOrLoad(`k${i}`, { tags: [`t${i}`], resultTags: () => [`r${i}`] }, () => g.promise),
    );
    for (let i = 0; i < 50; i++) await cache.invalidateTag(`noise:${i}`);
    for (const g of gates) g.resolve(1);
    await Promise.all(calls);
    expect(cache.diagnostics()).toMatchObject({ tagGenerations: 0, inFlightLoads: 0 });
    expect(cache.stats().size).toBe(5);
  });
});
