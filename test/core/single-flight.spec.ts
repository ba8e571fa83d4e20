import { jest } from '@jest/globals';
import { CacheError, HydraCache } from '../../lib/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

describe('single-flight loads', () => {
  let cache: HydraCache;

  beforeEach(() => {
    cache = HydraCache.local().build();
  });

  it('runs the loader once for concurrent callers of one missing key', async () => {
    const gate = deferred<{ id: number }>();
    const loader = jest.fn(() => gate.promise);
    const callers = Array.from({ length: 5 }, () => cache.getOrLoad('k', undefined, loader));
    await flushMicrotasks();
    expect(loader).toHaveBeenCalledTimes(1);
    gate.resolve({ id: 1 });
    const results = await Promise.all(callers);
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ id: 1 })));
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toMatchObject({ misses: 5, loads: 1, singleFlightJoins: 4, hits: 0 });
    expect(await cache.get('k')).toEqual({ id: 1 });
  });

  it('gives every joined caller its own copy', async () => {
    const gate = deferred<{ list: number[] }>();
    const [a, b] = await Promise.all([
      cache.getOrLoad('k', undefined, () => gate.promise),
      cache.getOrLoad('k', undefined, () => gate.promise),
      Promise.resolve().then(() => gate.resolve({ list: [1] })),
    ]);
    expect(a).not.toBe(b);
    a.list.push(2);
    expect(b).toEqual({ list: [1] });
    expect(await cache.get('k')).toEqual({ list: [1] });
  });

  it('lets callers that arrive later, while the load still runs, join it', async () => {
    const gate = deferred<string>();
    const loader = jest.fn(() => gate.promise);
    const first = cache.getOrLoad('k', undefined, loader);
    await flushMicrotasks();
    const second = cache.getOrLoad(
      'k',
      undefined,
      jest.fn(async () => 'other loader'),
    );
    await flushMicrotasks();
    gate.resolve('v');
    expect(await Promise.all([first, second])).toEqual(['v', 'v']);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats().singleFlightJoins).toBe(1);
  });

  it('joins a load whose loader returned a plain value, when called in the same tick', async () => {
    const loader = jest.fn(() => 'plain');
    const results = await Promise.all([
      cache.getOrLoad('k', undefined, loader),
      cache.getOrLoad('k', undefined, loader),
    ]);
    expect(results).toEqual(['plain', 'plain']);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toMatchObject({ loads: 1, singleFlightJoins: 1 });
  });

  it('runs independent loads for different keys', async () => {
    const gateA = deferred<string>();
    const gateB = deferred<string>();
    const a = cache.getOrLoad('a', undefined, () => gateA.promise);
    const b = cache.getOrLoad('b', undefined, () => gateB.promise);
    expect(cache.diagnostics().inFlightLoads).toBe(2);
    gateB.resolve('B');
    expect(await b).toBe('B');
    gateA.resolve('A');
    expect(await a).toBe('A');
    expect(cache.stats()).toMatchObject({ loads: 2, singleFlightJoins: 0 });
  });

  it('tracks the load while it runs and forgets it once it settles', async () => {
    const gate = deferred<number>();
    const pending = cache.getOrLoad('k', undefined, () => gate.promise);
    expect(cache.diagnostics().inFlightLoads).toBe(1);
    gate.resolve(1);
    await pending;
    expect(cache.diagnostics().inFlightLoads).toBe(0);
  });

  it('does not let get join or start a load', async () => {
    const gate = deferred<number>();
    const loader = jest.fn(() => gate.promise);
    const pending = cache.getOrLoad('k', undefined, loader);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ loads: 1, singleFlightJoins: 0, misses: 2 });
    gate.resolve(1);
    await pending;
    expect(await cache.get('k')).toBe(1);
  });

  describe('hits bypass single-flight', () => {
    it('serves concurrent callers of a cached key without loading or joining', async () => {
      await cache.put('k', 'cached');
      const loader = jest.fn(async () => 'loaded');
      const results = await Promise.all(
        Array.from({ length: 4 }, () => cache.getOrLoad('k', undefined, loader)),
      );
      expect(results).toEqual(['cached', 'cached', 'cached', 'cached']);
      expect(loader).not.toHaveBeenCalled();
      expect(cache.stats()).toMatchObject({ hits: 4, misses: 0, loads: 0, singleFlightJoins: 0 });
      expect(cache.diagnostics().inFlightLoads).toBe(0);
    });

    it('serves a hit on one key while another key is loading', async () => {
      await cache.put('hot', 'cached');
      const gate = deferred<string>();
      const pending = cache.getOrLoad('cold', undefined, () => gate.promise);
      expect(await cache.getOrLoad('hot', undefined, () => 'never')).toBe('cached');
      expect(cache.stats()).toMatchObject({ hits: 1, singleFlightJoins: 0 });
      expect(cache.diagnostics().inFlightLoads).toBe(1);
      gate.resolve('v');
      await pending;
    });
  });

  describe('failing loads', () => {
    it('rejects the leader and every joiner with the same error object and caches nothing', async () => {
      const gate = deferred<string>();
      const loader = jest.fn(() => gate.promise);
      const callers = Array.from({ length: 3 }, () =>
        cache.getOrLoad('k', undefined, loader).then(
          () => 'resolved',
          (e: unknown) => e,
        ),
      );
      const failure = new Error('database down');
      gate.reject(failure);
      const errors = await Promise.all(callers);
      expect(errors).toEqual([failure, failure, failure]);
      for (const e of errors) expect(e).toBe(failure);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await cache.containsKey('k')).toBe(false);
      expect(cache.stats()).toMatchObject({ size: 0, loads: 1, singleFlightJoins: 2 });
      expect(cache.diagnostics().inFlightLoads).toBe(0);
    });

    it('retries on the next call after a failure', async () => {
      const loader = jest
        .fn<() => Promise<string>>()
        .mockRejectedValueOnce(new Error('first'))
        .mockResolvedValueOnce('second');
      await expect(cache.getOrLoad('k', undefined, loader)).rejects.toThrow('first');
      expect(await cache.getOrLoad('k', undefined, loader)).toBe('second');
      expect(await cache.get('k')).toBe('second');
      expect(loader).toHaveBeenCalledTimes(2);
      expect(cache.stats().loads).toBe(2);
    });

    it('rethrows non-Error rejection reasons unchanged', async () => {
      const reason = { status: 503 };
      await expect(cache.getOrLoad('k', undefined, () => Promise.reject(reason))).rejects.toBe(
        reason,
      );
    });

    it('treats a synchronous throw in the loader as a rejection', async () => {
      const failure = new Error('sync');
      const loader = (): string => {
        throw failure;
      };
      let returned: Promise<string> | undefined;
      expect(() => {
        returned = cache.getOrLoad('k', undefined, loader);
      }).not.toThrow();
      await expect(returned).rejects.toBe(failure);
      expect(cache.diagnostics().inFlightLoads).toBe(0);
      expect(await cache.containsKey('k')).toBe(false);
      expect(await cache.getOrLoad('k', undefined, () => 'recovered')).toBe('recovered');
    });

    it('does not leave the failed value in the tag index', async () => {
      await expect(
        cache.getOrLoad('k', { tags: ['t'] }, () => Promise.reject(new Error('x'))),
      ).rejects.toThrow('x');
      expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0, inFlightLoads: 0 });
    });

    it('rejects every caller with E_ENCODE when the loaded value cannot be encoded', async () => {
      const gate = deferred<unknown>();
      const a = cache.getOrLoad('k', undefined, () => gate.promise);
      const b = cache.getOrLoad('k', undefined, () => gate.promise);
      gate.resolve({ fn: () => 1 });
      const [ea, eb] = await Promise.all([a.catch((e: unknown) => e), b.catch((e: unknown) => e)]);
      expect(ea).toBeInstanceOf(CacheError);
      expect((ea as CacheError).code).toBe('E_ENCODE');
      expect(eb).toBe(ea);
      expect(await cache.containsKey('k')).toBe(false);
      expect(await cache.getOrLoad('k', undefined, () => 'fine')).toBe('fine');
    });
  });

  describe('loaders returning undefined', () => {
    it('hands undefined to every joiner and caches nothing', async () => {
      const gate = deferred<string | undefined>();
      const loader = jest.fn(() => gate.promise);
      const callers = [
        cache.getOrLoad('k', undefined, loader),
        cache.getOrLoad('k', undefined, loader),
      ];
      gate.resolve(undefined);
      expect(await Promise.all(callers)).toEqual([undefined, undefined]);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(cache.stats().size).toBe(0);
      expect(cache.diagnostics().inFlightLoads).toBe(0);
    });
  });
});
