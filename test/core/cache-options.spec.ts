import { CacheError, CacheOptions, HydraCache, TagSet } from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';

function codeOf(attempt: () => unknown): string | undefined {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    return (error as CacheError).code;
  }
  return undefined;
}

describe('CacheOptions', () => {
  it('CacheOptions.new() and new CacheOptions() are empty options', () => {
    for (const options of [CacheOptions.new(), new CacheOptions()]) {
      expect(options.ttlMs).toBeUndefined();
      expect(options.tagList).toEqual([]);
    }
  });

  it('ttl sets the TTL in milliseconds', () => {
    expect(CacheOptions.new().ttl(60_000).ttlMs).toBe(60_000);
    expect(CacheOptions.new().ttl(Infinity).ttlMs).toBe(Infinity);
  });

  it('tag appends, tags replaces, tagSet replaces', () => {
    const appended = CacheOptions.new().tag('a').tag('b');
    expect(appended.tagList).toEqual(['a', 'b']);
    expect(appended.tags(['c', 'd']).tagList).toEqual(['c', 'd']);
    expect(appended.tagSet(new TagSet().entity('user', 1)).tagList).toEqual(['user:1']);
    expect(appended.tags(['c']).tag('e').tagList).toEqual(['c', 'e']);
  });

  it('a string given to tags is one tag, not its characters', () => {
    expect(CacheOptions.new().tags('users').tagList).toEqual(['users']);
  });

  it('tags accepts any iterable of strings', () => {
    function* gen(): Generator<string> {
      yield 'g1';
      yield 'g2';
    }
    expect(CacheOptions.new().tags(gen()).tagList).toEqual(['g1', 'g2']);
    expect(CacheOptions.new().tags(new Set(['s'])).tagList).toEqual(['s']);
  });

  it('keeps the TTL when tags change and the tags when the TTL changes', () => {
    const options = CacheOptions.new().ttl(5).tags(['a']).tag('b').ttl(10);
    expect(options.ttlMs).toBe(10);
    expect(options.tagList).toEqual(['a', 'b']);
  });

  it('is immutable: setters return new options', () => {
    const base = CacheOptions.new().tag('base');
    const derived = base.ttl(5).tag('more');
    expect(base.ttlMs).toBeUndefined();
    expect(base.tagList).toEqual(['base']);
    expect(derived.tagList).toEqual(['base', 'more']);
  });

  it.each([
    ['ttl(0)', () => CacheOptions.new().ttl(0), 'ttl'],
    ['ttl(-5)', () => CacheOptions.new().ttl(-5), 'ttl'],
    ['ttl(NaN)', () => CacheOptions.new().ttl(NaN), 'ttl'],
    ['ttl(-Infinity)', () => CacheOptions.new().ttl(-Infinity), 'ttl'],
    ['ttl("5")', () => CacheOptions.new().ttl('5' as unknown as number), 'ttl'],
    ['new CacheOptions(0)', () => new CacheOptions(0), 'ttl'],
    ['tag(5)', () => CacheOptions.new().tag(5 as unknown as string), 'tag'],
    ['tags(5)', () => CacheOptions.new().tags(5 as unknown as string[]), 'tags'],
    ['tags([1])', () => CacheOptions.new().tags([1] as unknown as string[]), 'tags'],
    ['tagSet(array)', () => CacheOptions.new().tagSet(['a'] as unknown as TagSet), 'tagSet'],
  ])('%s throws E_INVALID_OPTION naming the field', (_label, attempt, field) => {
    expect(codeOf(attempt)).toBe('E_INVALID_OPTION');
    expect(attempt).toThrow(new RegExp(`"${field}"`));
  });

  describe('accepted forms in cache methods', () => {
    beforeEach(() => installFakeClock());
    afterEach(() => uninstallFakeClock());

    it.each([
      ['CacheOptions', CacheOptions.new().ttl(100).tags(['t'])],
      ['a plain object', { ttl: 100, tags: ['t'] }],
      ['a plain object with a string tag', { ttl: 100, tags: 't' }],
      ['a plain object with a TagSet', { ttl: 100, tags: TagSet.fromTag('t') }],
      ['a plain object with a Set', { ttl: 100, tags: new Set(['t']) }],
    ])('put honours TTL and tags given as %s', async (_label, options) => {
      const cache = HydraCache.local().build();
      await cache.put('a', 1, options);
      await cache.put('b', 2, options);
      expect(await cache.invalidateTag('t')).toBe(2);
      await cache.put('a', 1, options);
      advance(100);
      expect(await cache.get('a')).toBeUndefined();
    });

    it('getOrLoad honours a plain object', async () => {
      const cache = HydraCache.local().build();
      await cache.getOrLoad('a', { ttl: 100, tags: 't' }, () => 1);
      expect(await cache.invalidateTag('t')).toBe(1);
      await cache.getOrLoad('a', { ttl: 100 }, () => 1);
      advance(100);
      expect(await cache.containsKey('a')).toBe(false);
    });

    it('undefined and an empty object mean the defaults', async () => {
      const cache = HydraCache.local().defaultTtl(50).build();
      await cache.put('a', 1, undefined);
      await cache.put('b', 2, {});
      await cache.getOrLoad('c', undefined, () => 3);
      await cache.getOrLoad('d', {}, () => 4);
      expect(cache.diagnostics().indexedTags).toBe(0);
      advance(49);
      expect(cache.stats().size).toBe(4);
      for (const k of ['a', 'b', 'c', 'd']) expect(await cache.containsKey(k)).toBe(true);
      advance(1);
      for (const k of ['a', 'b', 'c', 'd']) expect(await cache.containsKey(k)).toBe(false);
    });

    it('one options value can be reused for many entries', async () => {
      const cache = HydraCache.local().build();
      const options = CacheOptions.new().tag('shared');
      for (let i = 0; i < 5; i++) await cache.put(`k${i}`, i, options);
      expect(options.tagList).toEqual(['shared']);
      expect(await cache.invalidateTag('shared')).toBe(5);
    });

    it('rejects a plain object with an invalid field and stores nothing', async () => {
      const cache = HydraCache.local().build();
      await expect(cache.put('k', 1, { ttl: 0 })).rejects.toThrow(/"ttl"/);
      await expect(cache.put('k', 1, { tags: [1 as unknown as string] })).rejects.toThrow(/"tags"/);
      expect(cache.stats().size).toBe(0);
    });
  });
});

describe('new CacheOptions(ttl, tags)', () => {
  it('takes one string as one tag', () => {
    expect(new CacheOptions(1_000, 'users').tagList).toEqual(['users']);
  });

  it('refuses tags that are not strings, so no entry becomes unreachable by tag', () => {
    const attempt = () => new CacheOptions(undefined, [5, null] as unknown as string[]);
    expect(attempt).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });
});
