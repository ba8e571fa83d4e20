import { CacheError, CacheKeyBuilder, CacheOptions, HydraCache, TagSet } from '../../lib/index.js';

describe('TagSet', () => {
  it('starts empty', () => {
    const set = new TagSet();
    expect(set.isEmpty()).toBe(true);
    expect(set.toArray()).toEqual([]);
    expect([...set]).toEqual([]);
  });

  it('fromTag holds one raw tag', () => {
    const set = TagSet.fromTag('users');
    expect(set.toArray()).toEqual(['users']);
    expect(set.isEmpty()).toBe(false);
  });

  it('tag appends a raw, unescaped tag', () => {
    expect(new TagSet().tag('user:42').tag('100%').toArray()).toEqual(['user:42', '100%']);
  });

  it('tags extends with every member of an iterable', () => {
    const set = TagSet.fromTag('a')
      .tags(['b', 'c'])
      .tags(new Set(['d']));
    expect(set.toArray()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('entity appends the escaped tag kind:id, matching CacheKeyBuilder.entity', () => {
    expect(new TagSet().entity('user', 42).toArray()).toEqual(['user:42']);
    expect(new TagSet().entity('a:b', 'c%d').toArray()).toEqual(['a%3Ab:c%25d']);
    expect(new TagSet().entity('a:b', 'c%d').toArray()[0]).toBe(
      new CacheKeyBuilder().entity('a:b', 'c%d').buildString(),
    );
  });

  it('tenant(id) is entity("tenant", id)', () => {
    expect(new TagSet().tenant(7).toArray()).toEqual(['tenant:7']);
    expect(new TagSet().tenant('x:y').toArray()).toEqual(
      new TagSet().entity('tenant', 'x:y').toArray(),
    );
  });

  it('keeps insertion order across all methods', () => {
    const set = new TagSet().tenant(7).tag('users').entity('user', 42).tags(['z', 'a']);
    expect(set.toArray()).toEqual(['tenant:7', 'users', 'user:42', 'z', 'a']);
    expect([...set]).toEqual(set.toArray());
    const seen: string[] = [];
    for (const tag of set) seen.push(tag);
    expect(seen).toEqual(set.toArray());
  });

  it('is immutable', () => {
    const base = TagSet.fromTag('base');
    const a = base.tag('a');
    const b = base.entity('b', 1);
    const list = base.toArray();
    list.push('mutated');
    expect(base.toArray()).toEqual(['base']);
    expect(a.toArray()).toEqual(['base', 'a']);
    expect(b.toArray()).toEqual(['base', 'b:1']);
  });

  it.each([
    ['tag(number)', () => new TagSet().tag(5 as unknown as string)],
    ['tags([number])', () => new TagSet().tags([5 as unknown as string])],
    ['tags(number)', () => new TagSet().tags(5 as unknown as string[])],
    ['fromTag(undefined)', () => TagSet.fromTag(undefined as unknown as string)],
    ['entity(object)', () => new TagSet().entity('user', {} as unknown as string)],
  ])('%s throws E_INVALID_OPTION', (_label, attempt) => {
    expect(attempt).toThrow(CacheError);
    try {
      attempt();
    } catch (error) {
      expect((error as CacheError).code).toBe('E_INVALID_OPTION');
    }
  });

  describe('attached to entries', () => {
    const tags = new TagSet().tenant(7).entity('user', 42);

    it('via CacheOptions.tagSet', async () => {
      const cache = HydraCache.local().build();
      await cache.put('k', 1, CacheOptions.new().tagSet(tags));
      expect(await cache.invalidateTag('user:42')).toBe(1);
      await cache.put('k', 1, CacheOptions.new().tagSet(tags));
      expect(await cache.invalidateTag('tenant:7')).toBe(1);
    });

    it('via a plain options object', async () => {
      const cache = HydraCache.local().build();
      await cache.put('k', 1, { tags });
      await cache.getOrLoad('k2', { tags }, () => 2);
      expect(await cache.invalidateTag('tenant:7')).toBe(2);
    });

    it('an empty TagSet tags nothing', async () => {
      const cache = HydraCache.local().build();
      await cache.put('k', 1, { tags: new TagSet() });
      expect(cache.diagnostics().indexedTags).toBe(0);
    });
  });
});
