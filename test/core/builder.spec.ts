import {
  CacheError,
  CborCodec,
  DEFAULT_SETTINGS,
  HydraCache,
  HydraCacheBuilder,
  type Codec,
} from '../../lib/index.js';
import { FaultyCodec } from '../support/codecs.js';

function errorOf(attempt: () => unknown): CacheError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    return error as CacheError;
  }
  throw new Error('expected a CacheError');
}

describe('HydraCache.local() builder', () => {
  it('returns a builder that builds a HydraCache', () => {
    const builder = HydraCache.local();
    expect(builder).toBeInstanceOf(HydraCacheBuilder);
    expect(builder.build()).toBeInstanceOf(HydraCache);
  });

  it('chains every setter', async () => {
    const cache = HydraCache.local()
      .defaultTtl(300_000)
      .maxCapacity(10_000)
      .maxEntryBytes(1024)
      .codec(new CborCodec())
      .build();
    await cache.put('k', 'v');
    expect(await cache.get('k')).toBe('v');
  });

  it('documents the defaults: 300 000 ms, 10 000 entries, 16 MiB, no grace, 10 s fail-safe backoff', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      defaultTtl: 300_000,
      maxCapacity: 10_000,
      maxEntryBytes: 16 * 1024 * 1024,
      l2MaxEntryBytes: 1024 * 1024,
      grace: 0,
      failSafeBackoff: 10_000,
      timeout: 0,
      hardTimeout: Infinity,
      refreshAhead: 0,
      ttlJitter: 0,
    });
  });

  it('accepts Infinity as default TTL and the largest safe integers as bounds', () => {
    expect(() =>
      HydraCache.local()
        .defaultTtl(Infinity)
        .maxCapacity(Number.MAX_SAFE_INTEGER)
        .maxEntryBytes(Number.MAX_SAFE_INTEGER)
        .build(),
    ).not.toThrow();
  });

  const invalid: [string, (b: HydraCacheBuilder) => unknown, string][] = [
    ['defaultTtl(0)', (b) => b.defaultTtl(0), 'defaultTtl'],
    ['defaultTtl(-1)', (b) => b.defaultTtl(-1), 'defaultTtl'],
    ['defaultTtl(NaN)', (b) => b.defaultTtl(NaN), 'defaultTtl'],
    ['defaultTtl("1")', (b) => b.defaultTtl('1' as unknown as number), 'defaultTtl'],
    ['maxCapacity(0)', (b) => b.maxCapacity(0), 'maxCapacity'],
    ['maxCapacity(-1)', (b) => b.maxCapacity(-1), 'maxCapacity'],
    ['maxCapacity(1.5)', (b) => b.maxCapacity(1.5), 'maxCapacity'],
    ['maxCapacity(NaN)', (b) => b.maxCapacity(NaN), 'maxCapacity'],
    ['maxCapacity(Infinity)', (b) => b.maxCapacity(Infinity), 'maxCapacity'],
    ['maxCapacity(2 ** 53)', (b) => b.maxCapacity(2 ** 53), 'maxCapacity'],
    ['maxCapacity("10")', (b) => b.maxCapacity('10' as unknown as number), 'maxCapacity'],
    ['maxEntryBytes(0)', (b) => b.maxEntryBytes(0), 'maxEntryBytes'],
    ['maxEntryBytes(0.5)', (b) => b.maxEntryBytes(0.5), 'maxEntryBytes'],
    ['maxEntryBytes(Infinity)', (b) => b.maxEntryBytes(Infinity), 'maxEntryBytes'],
    ['codec({})', (b) => b.codec({} as Codec), 'codec'],
    ['codec(undefined)', (b) => b.codec(undefined as unknown as Codec), 'codec'],
    ['codec(encode only)', (b) => b.codec({ encode: () => new Uint8Array() } as never), 'codec'],
  ];

  it.each(invalid)('%s throws E_INVALID_OPTION at once, naming the field', (_l, set, field) => {
    const error = errorOf(() => set(HydraCache.local()));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain(`"${field}"`);
  });

  it.each([
    ['defaultTtl', { defaultTtl: 0 }],
    ['maxCapacity', { maxCapacity: 0.5 }],
    ['maxEntryBytes', { maxEntryBytes: -1 }],
    ['codec', { codec: 'cbor' }],
  ])('the constructor validates %s the same way', (field, settings) => {
    const error = errorOf(() => new HydraCache(settings as never));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain(`"${field}"`);
  });

  it('the constructor rejects non-object settings', () => {
    expect(errorOf(() => new HydraCache(null as never)).code).toBe('E_INVALID_OPTION');
  });

  it('new HydraCache() with no settings uses the defaults', async () => {
    const cache = new HydraCache();
    await cache.put('k', { v: 1 });
    expect(await cache.get('k')).toEqual({ v: 1 });
  });

  it('builds independent caches that keep the settings they were built with', async () => {
    const builder = HydraCache.local().maxCapacity(1);
    const small = builder.build();
    const large = builder.maxCapacity(10).build();
    for (const cache of [small, large]) {
      await cache.put('a', 1);
      await cache.put('b', 2);
    }
    expect(small.stats().size).toBe(1);
    expect(large.stats().size).toBe(2);
    await small.flush();
    expect(large.stats().size).toBe(2);
  });

  it('uses the configured codec', async () => {
    const codec = new FaultyCodec();
    const cache = HydraCache.local().codec(codec).build();
    await cache.put('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(codec.encodes).toBe(1);
    expect(codec.decodes).toBe(1);
  });

  describe('noCopy()', () => {
    it('keeps values by reference', async () => {
      const cache = HydraCache.local().noCopy().build();
      const value = { n: 1 };
      await cache.put('k', value);
      const got = await cache.get<{ n: number }>('k');
      expect(got).toBe(value);
      value.n = 2;
      expect(await cache.get('k')).toEqual({ n: 2 });
    });

    it('hands the loaded object itself to the leader, joiners and later hits', async () => {
      const cache = HydraCache.local().noCopy().build();
      const loaded = { n: 1 };
      const [a, b] = await Promise.all([
        cache.getOrLoad('k', undefined, async () => loaded),
        cache.getOrLoad('k', undefined, async () => ({ n: 2 })),
      ]);
      expect(a).toBe(loaded);
      expect(b).toBe(loaded);
      expect(await cache.getOrLoad('k', undefined, () => ({ n: 3 }))).toBe(loaded);
    });

    it('keeps class instances and functions as they are', async () => {
      class Point {
        constructor(readonly x: number) {}
      }
      const cache = HydraCache.local().noCopy().build();
      const fn = (): number => 1;
      await cache.put('p', new Point(1));
      await cache.put('f', fn);
      expect(await cache.get('p')).toBeInstanceOf(Point);
      expect(await cache.get('f')).toBe(fn);
    });

    it('still rejects undefined and still supports tags, TTL and capacity', async () => {
      const cache = HydraCache.local().noCopy().maxCapacity(2).build();
      await expect(cache.put('k', undefined)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
      await cache.put('a', 1, { tags: ['t'] });
      await cache.put('b', 2, { tags: ['t'] });
      await cache.put('c', 3);
      expect(cache.stats()).toMatchObject({ size: 2, evictions: 1 });
      expect(await cache.invalidateTag('t')).toBe(1);
    });
  });
});
