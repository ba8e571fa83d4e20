import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createCache } from 'cache-manager';
import { HydraCache, HydraCacheManager } from '@hydracache/nestjs';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

/** What both implementations offer: cache-manager's own `Cache` and the HydraCache-backed one. */
type Manager = Pick<
  HydraCacheManager,
  'get' | 'set' | 'del' | 'mget' | 'mset' | 'mdel' | 'clear' | 'ttl' | 'wrap'
>;

// The same calls against cache-manager v7 itself and against HydraCacheManager: every result below
// is what cache-manager answers, so code written against CACHE_MANAGER keeps working.
describe.each([
  [
    'cache-manager v7',
    () => ({ manager: createCache() as unknown as Manager, close: async () => {} }),
  ],
  [
    'HydraCacheManager',
    () => {
      const cache = new HydraCache({ defaultTtl: Infinity });
      return { manager: new HydraCacheManager(cache) as Manager, close: () => cache.close() };
    },
  ],
])('%s', (_name, make) => {
  let m: Manager;
  let close: () => Promise<void>;
  beforeEach(() => {
    ({ manager: m, close } = make());
  });
  afterEach(async () => close());

  it('get of a missing key is undefined; set resolves with the value', async () => {
    expect(await m.get('missing')).toBeUndefined();
    expect(await m.set('a', { v: 1 })).toEqual({ v: 1 });
    expect(await m.get('a')).toEqual({ v: 1 });
  });

  it('del resolves with true, present or not', async () => {
    await m.set('a', 1);
    expect(await m.del('a')).toBe(true);
    expect(await m.del('a')).toBe(true);
    expect(await m.get('a')).toBeUndefined();
  });

  it('ttl is the expiry timestamp in ms, undefined when missing or never expiring', async () => {
    const before = Date.now();
    await m.set('a', 1, 5_000);
    const expires = await m.ttl('a');
    expect(expires).toBeGreaterThanOrEqual(before + 5_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(await m.ttl('missing')).toBeUndefined();
    await m.set('forever', 1);
    expect(await m.ttl('forever')).toBeUndefined();
    await m.set('zero', 1, 0);
    expect(await m.get('zero')).toBe(1);
    expect(await m.ttl('zero')).toBeUndefined();
  });

  it('mset, mget and mdel work on lists', async () => {
    const list = await m.mset([
      { key: 'k1', value: 'one' },
      { key: 'k2', value: 'two', ttl: 5_000 },
    ]);
    expect(list.map((e) => e.key)).toEqual(['k1', 'k2']);
    expect(await m.mget(['k1', 'k2', 'k3'])).toEqual(['one', 'two', undefined]);
    expect(await m.mdel(['k1', 'k2'])).toBe(true);
    expect(await m.mget(['k1', 'k2'])).toEqual([undefined, undefined]);
  });

  it('clear removes everything and resolves with true', async () => {
    await m.set('a', 1);
    await m.set('b', 2);
    expect(await m.clear()).toBe(true);
    expect(await m.mget(['a', 'b'])).toEqual([undefined, undefined]);
  });

  it('undefined is neither stored by set nor by wrap', async () => {
    expect(await m.set('u', undefined)).toBeUndefined();
    expect(await m.get('u')).toBeUndefined();
    expect(await m.wrap('w', () => undefined)).toBeUndefined();
    expect(await m.wrap('w', () => 2)).toBe(2);
  });

  it('wrap runs the function once for concurrent callers and serves the rest from the cache', async () => {
    let runs = 0;
    const gate = deferred<void>();
    const fn = async () => {
      runs++;
      await gate.promise;
      return runs;
    };
    const calls = [m.wrap('w', fn, 5_000), m.wrap('w', fn, 5_000), m.wrap('w', fn, 5_000)];
    await flushMicrotasks();
    gate.resolve();
    expect(await Promise.all(calls)).toEqual([1, 1, 1]);
    expect(await m.wrap('w', fn, 5_000)).toBe(1);
    expect(runs).toBe(1);
  });

  it('wrap with raw: true resolves with the value and its expiry', async () => {
    const before = Date.now();
    const raw = (await m.wrap('r', () => 7, { ttl: 5_000, raw: true })) as unknown as {
      value: number;
      expires: number;
    };
    expect(raw.value).toBe(7);
    expect(raw.expires).toBeGreaterThanOrEqual(before + 5_000);
  });

  it("wrap rethrows the function's error and stores nothing", async () => {
    await expect(
      m.wrap('e', () => {
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    expect(await m.get('e')).toBeUndefined();
  });
});
