import { CacheOptions, HydraCache, MemoryBusHub, TagSet } from '../../lib/index.js';

/** Tags whose iterator breaks the protocol: each must be refused as E_INVALID_OPTION, not a bare TypeError. */
const brokenTags: [string, Iterable<string>][] = [
  ['an iterator that is a number', { [Symbol.iterator]: () => 5 as never }],
  ['an iterator that is null', { [Symbol.iterator]: () => null as never }],
  ['an iterator without next()', { [Symbol.iterator]: () => ({}) as never }],
  ['a step that is not an object', { [Symbol.iterator]: () => ({ next: () => 1 }) as never }],
];

describe('inputs that would otherwise fail with a bare TypeError or be ignored', () => {
  let cache: HydraCache;
  beforeEach(() => {
    cache = new HydraCache();
  });
  afterEach(async () => {
    await cache.close();
  });

  it.each(brokenTags)('tags with %s: E_INVALID_OPTION everywhere tags go', async (_label, tags) => {
    const invalid = expect.objectContaining({ code: 'E_INVALID_OPTION' });
    await expect(cache.getOrLoad('k', { tags }, () => 1)).rejects.toEqual(invalid);
    await expect(cache.getOrLoad('k', { resultTags: () => tags }, () => 1)).rejects.toEqual(
      invalid,
    );
    await expect(cache.put('k', 1, { tags })).rejects.toEqual(invalid);
    await expect(cache.invalidateTags(tags)).rejects.toEqual(invalid);
    expect(() => new TagSet().tags(tags)).toThrow(invalid);
    expect(() => new CacheOptions(undefined, tags)).toThrow(invalid);
  });

  it('still accepts a hand-made iterable that follows the protocol', async () => {
    const tags = {
      *[Symbol.iterator]() {
        yield 'a';
        yield 'b';
      },
    };
    await cache.put('k', 1, { tags });
    expect(await cache.invalidateTag('b')).toBe(1);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a number', 5],
  ])('builder.bus(transport, %s): E_INVALID_OPTION naming busOptions', (_label, options) => {
    const hub = new MemoryBusHub();
    expect(() => HydraCache.local().bus(hub.transport(), options as never)).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_OPTION',
        message: expect.stringContaining('busOptions'),
      }),
    );
  });

  it.each([
    ['an object', { error: 'not found' }],
    ['a non-empty string', 'yes'],
    ['a number', 1],
  ])('unless returning %s (truthy) counts as true: nothing is cached', async (_label, answer) => {
    const opts = { unless: (() => answer) as unknown as (v: number) => boolean };
    expect(await cache.getOrLoad('k', opts, () => 1)).toBe(1);
    expect(await cache.containsKey('k')).toBe(false);
  });

  it.each([0, '', null, undefined])('unless returning %p (falsy) caches', async (answer) => {
    const opts = { unless: (() => answer) as unknown as (v: number) => boolean };
    await cache.getOrLoad('k', opts, () => 1);
    expect(await cache.get('k')).toBe(1);
  });
});
