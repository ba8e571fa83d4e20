import { jest } from '@jest/globals';
import { CacheError, CacheKeyBuilder, CacheOptions, HydraCache } from '../../lib/index.js';

class User {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  greet(): string {
    return `hi ${this.name}`;
  }
}

describe('HydraCache get / put', () => {
  let cache: HydraCache;

  beforeEach(() => {
    cache = HydraCache.local().build();
  });

  it('returns undefined for a key never stored', async () => {
    expect(await cache.get('missing')).toBeUndefined();
  });

  it('round-trips plain data', async () => {
    const value = { id: 42, name: 'Ada', tags: ['a', 'b'], nested: { ok: true, n: 1.5 } };
    await cache.put('user:42', value);
    expect(await cache.get('user:42')).toEqual(value);
  });

  it.each([
    ['a string', 'hello'],
    ['an empty string', ''],
    ['zero', 0],
    ['a negative float', -12.75],
    ['false', false],
    ['an empty array', []],
    ['an empty object', {}],
  ])('round-trips %s', async (_label, value) => {
    await cache.put('k', value);
    expect(await cache.get('k')).toEqual(value);
  });

  it('keeps Dates as Dates', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    await cache.put('k', { at, list: [new Date(0)] });
    const got = await cache.get<{ at: Date; list: Date[] }>('k');
    expect(got?.at).toBeInstanceOf(Date);
    expect(got?.at.getTime()).toBe(at.getTime());
    expect(got?.list[0]).toBeInstanceOf(Date);
    expect(got?.list[0].getTime()).toBe(0);
  });

  it('keeps Maps and Sets', async () => {
    const value = {
      byId: new Map<unknown, unknown>([
        ['a', 1],
        [2, { b: true }],
      ]),
      ids: new Set([1, 'two']),
    };
    await cache.put('k', value);
    const got = await cache.get<typeof value>('k');
    expect(got?.byId).toBeInstanceOf(Map);
    expect([...got!.byId.entries()]).toEqual([
      ['a', 1],
      [2, { b: true }],
    ]);
    expect(got?.ids).toBeInstanceOf(Set);
    expect([...got!.ids]).toEqual([1, 'two']);
  });

  it('returns class instances as instances of their class, with their data', async () => {
    await cache.put('user', new User(1, 'Ada'));
    const got = await cache.get<User>('user');
    expect(got).toBeInstanceOf(User);
    expect(got).toEqual(new User(1, 'Ada'));
    expect(got!.greet()).toBe('hi Ada');
  });

  it('stores null as a value, distinct from a miss', async () => {
    await cache.put('k', null);
    expect(await cache.get('k')).toBeNull();
    expect(await cache.containsKey('k')).toBe(true);
    const loader = jest.fn(async () => 'loaded');
    expect(await cache.getOrLoad('k', undefined, loader)).toBeNull();
    expect(loader).not.toHaveBeenCalled();
  });

  it('rejects put(undefined) with E_INVALID_OPTION and leaves the entry untouched', async () => {
    await cache.put('k', 'kept');
    const error = await cache.put('k', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('E_INVALID_OPTION');
    expect((error as CacheError).message).toMatch(/undefined/);
    expect(await cache.get('k')).toBe('kept');
    expect(cache.stats().size).toBe(1);
  });

  it('does not store put(undefined) for a new key', async () => {
    await expect(cache.put('new', undefined)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    expect(await cache.containsKey('new')).toBe(false);
    expect(cache.stats().size).toBe(0);
  });

  it('keeps undefined nested inside a stored value', async () => {
    await cache.put('k', { a: undefined, b: 1 });
    const got = await cache.get<Record<string, unknown>>('k');
    expect(got).toEqual({ a: undefined, b: 1 });
    expect(Object.keys(got!)).toEqual(['a', 'b']);
  });

  it('replaces the value on a second put', async () => {
    await cache.put('k', 1);
    await cache.put('k', 2);
    expect(await cache.get('k')).toBe(2);
    expect(cache.stats().size).toBe(1);
  });

  it('replaces the tags on a second put', async () => {
    await cache.put('k', 1, CacheOptions.new().tag('old'));
    await cache.put('k', 2, CacheOptions.new().tag('new'));
    expect(await cache.invalidateTag('old')).toBe(0);
    expect(await cache.get('k')).toBe(2);
    expect(await cache.invalidateTag('new')).toBe(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('accepts a CacheKey wherever it accepts a string', async () => {
    const key = new CacheKeyBuilder().tenant(7).entity('user', 42).build();
    await cache.put(key, 'v');
    expect(await cache.get('tenant:7:user:42')).toBe('v');
    expect(await cache.get(key)).toBe('v');
    expect(await cache.containsKey(key)).toBe(true);
    expect(await cache.getOrLoad(key, undefined, () => 'other')).toBe('v');
    expect(await cache.invalidateKey(key)).toBe(true);
    expect(await cache.get('tenant:7:user:42')).toBeUndefined();
  });

  it('keeps keys distinct (no prefix or case folding)', async () => {
    await cache.put('a', 1);
    await cache.put('A', 2);
    await cache.put('a:', 3);
    expect([await cache.get('a'), await cache.get('A'), await cache.get('a:')]).toEqual([1, 2, 3]);
  });

  it('accepts the empty string as a key', async () => {
    await cache.put('', 'empty');
    expect(await cache.get('')).toBe('empty');
  });

  describe('every caller gets its own copy', () => {
    it('mutating a value returned by get does not change the cache', async () => {
      await cache.put('k', { list: [1, 2], inner: { n: 1 } });
      const first = await cache.get<{ list: number[]; inner: { n: number } }>('k');
      first!.list.push(3);
      first!.inner.n = 99;
      expect(await cache.get('k')).toEqual({ list: [1, 2], inner: { n: 1 } });
    });

    it('two reads return different objects', async () => {
      await cache.put('k', { n: 1 });
      const a = await cache.get('k');
      const b = await cache.get('k');
      expect(a).toEqual(b);
      expect(a).not.toBe(b);
    });

    it('mutating the value after put does not change the cache', async () => {
      const value = { n: 1, list: [1], when: new Date(10), map: new Map([['a', 1]]) };
      await cache.put('k', value);
      value.n = 2;
      value.list.push(2);
      value.when.setTime(20);
      value.map.set('b', 2);
      expect(await cache.get('k')).toEqual({
        n: 1,
        list: [1],
        when: new Date(10),
        map: new Map([['a', 1]]),
      });
    });

    it('mutating a value returned by getOrLoad (leader or hit) does not change the cache', async () => {
      const loaded = { n: 1 };
      const leader = await cache.getOrLoad('k', undefined, () => loaded);
      expect(leader).not.toBe(loaded);
      leader.n = 2;
      loaded.n = 3;
      const hit = await cache.getOrLoad('k', undefined, () => ({ n: 4 }));
      expect(hit).toEqual({ n: 1 });
      hit.n = 5;
      expect(await cache.get('k')).toEqual({ n: 1 });
    });
  });

  describe('containsKey / invalidateKey / remove', () => {
    it('containsKey reports stored keys only', async () => {
      await cache.put('k', 0);
      expect(await cache.containsKey('k')).toBe(true);
      expect(await cache.containsKey('other')).toBe(false);
    });

    it('invalidateKey removes the entry and reports whether one was removed', async () => {
      await cache.put('k', 1);
      expect(await cache.invalidateKey('k')).toBe(true);
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.containsKey('k')).toBe(false);
      expect(await cache.invalidateKey('k')).toBe(false);
    });

    it('remove is an alias of invalidateKey', async () => {
      await cache.put('k', 1);
      await cache.put('other', 2);
      expect(await cache.remove('k')).toBe(true);
      expect(await cache.remove('k')).toBe(false);
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.get('other')).toBe(2);
      expect(cache.stats().invalidations).toBe(1);
    });

    it('removing a key drops it from its tags', async () => {
      await cache.put('k', 1, { tags: ['t'] });
      await cache.invalidateKey('k');
      await cache.put('k2', 2);
      expect(await cache.invalidateTag('t')).toBe(0);
      expect(cache.diagnostics().indexedTags).toBe(0);
    });
  });

  describe('flush', () => {
    it('removes every entry and its tags', async () => {
      await cache.put('a', 1, { tags: ['t'] });
      await cache.put('b', 2);
      await cache.flush();
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBeUndefined();
      expect(cache.stats().size).toBe(0);
      expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0 });
      expect(await cache.invalidateTag('t')).toBe(0);
    });

    it('leaves the cache usable', async () => {
      await cache.put('a', 1, { tags: ['t'] });
      await cache.flush();
      await cache.put('a', 2, { tags: ['t'] });
      expect(await cache.get('a')).toBe(2);
      expect(await cache.invalidateTag('t')).toBe(1);
    });
  });

  describe('getOrLoad', () => {
    it('loads on a miss, stores the result, and serves it afterwards', async () => {
      const loader = jest.fn(async () => ({ id: 1 }));
      expect(await cache.getOrLoad('k', undefined, loader)).toEqual({ id: 1 });
      expect(await cache.getOrLoad('k', undefined, loader)).toEqual({ id: 1 });
      expect(await cache.get('k')).toEqual({ id: 1 });
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('returns a cached value without calling the loader', async () => {
      await cache.put('k', 'cached');
      const loader = jest.fn(() => 'loaded');
      expect(await cache.getOrLoad('k', undefined, loader)).toBe('cached');
      expect(loader).not.toHaveBeenCalled();
    });

    it('accepts a loader that returns a plain (non-promise) value', async () => {
      expect(await cache.getOrLoad('k', undefined, () => 7)).toBe(7);
      expect(await cache.get('k')).toBe(7);
    });

    it('accepts a loader that returns a foreign thenable', async () => {
      const thenable: PromiseLike<number> = {
        then: (onFulfilled, onRejected) => Promise.resolve(8).then(onFulfilled, onRejected),
      };
      expect(await cache.getOrLoad('k', undefined, () => thenable)).toBe(8);
      expect(await cache.get('k')).toBe(8);
    });

    it('stores the result with the given tags and TTL options', async () => {
      await cache.getOrLoad('k', CacheOptions.new().tags(['t1', 't2']), () => 1);
      expect(await cache.invalidateTag('t2')).toBe(1);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('returns undefined from a loader uncached, and the next call loads again', async () => {
      const loader = jest.fn(async (): Promise<string | undefined> => undefined);
      expect(await cache.getOrLoad('k', undefined, loader)).toBeUndefined();
      expect(await cache.containsKey('k')).toBe(false);
      expect(cache.stats().size).toBe(0);
      expect(await cache.getOrLoad('k', undefined, loader)).toBeUndefined();
      expect(loader).toHaveBeenCalledTimes(2);
    });

    it('caches null returned by a loader', async () => {
      const loader = jest.fn(async () => null);
      expect(await cache.getOrLoad('k', undefined, loader)).toBeNull();
      expect(await cache.getOrLoad('k', undefined, loader)).toBeNull();
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('getOrInsertWith and tryGetOrInsertWith load, cache and hit like getOrLoad', async () => {
      const a = jest.fn(async () => 'a');
      const b = jest.fn(async () => 'b');
      expect(await cache.getOrInsertWith('a', undefined, a)).toBe('a');
      expect(await cache.getOrInsertWith('a', undefined, a)).toBe('a');
      expect(await cache.tryGetOrInsertWith('b', { tags: 'tb' }, b)).toBe('b');
      expect(await cache.tryGetOrInsertWith('b', undefined, b)).toBe('b');
      expect(a).toHaveBeenCalledTimes(1);
      expect(b).toHaveBeenCalledTimes(1);
      expect(await cache.invalidateTag('tb')).toBe(1);
      const failure = new Error('boom');
      await expect(
        cache.tryGetOrInsertWith('c', undefined, () => Promise.reject(failure)),
      ).rejects.toBe(failure);
    });
  });
});
