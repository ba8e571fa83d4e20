import { jest } from '@jest/globals';
import { CacheError, CborCodec, HydraCache } from '../../lib/index.js';
import { FaultyCodec } from '../support/codecs.js';

async function errorOf(promise: Promise<unknown>): Promise<CacheError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CacheError);
  return error as CacheError;
}

describe('CborCodec', () => {
  const codec = new CborCodec();
  const roundTrip = (value: unknown): unknown => codec.decode(codec.encode(value));

  it('encodes to bytes and decodes an equal, independent value', () => {
    const value = { a: [1, 'two', null], b: { c: true } };
    const bytes = codec.encode(value);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = roundTrip(value);
    expect(decoded).toEqual(value);
    expect(decoded).not.toBe(value);
  });

  it('keeps Dates, Maps, Sets, typed arrays and bigints', () => {
    const value = {
      at: new Date(1_700_000_000_123),
      map: new Map<unknown, unknown>([[1, 'one']]),
      set: new Set(['x']),
      bytes: new Uint8Array([1, 2, 3]),
      small: 1n,
      big: 2n ** 70n,
    };
    const decoded = roundTrip(value) as typeof value;
    expect(decoded.at).toEqual(value.at);
    expect(decoded.map).toEqual(value.map);
    expect(decoded.set).toEqual(value.set);
    expect(decoded.bytes).toEqual(value.bytes);
    expect(decoded.small).toBe(1n);
    expect(decoded.big).toBe(2n ** 70n);
  });

  it('decodes each encoding on its own (no state shared between entries)', () => {
    const encodings = Array.from({ length: 50 }, (_, i) => codec.encode({ id: i, name: `n${i}` }));
    const fresh = new CborCodec();
    encodings.reverse().forEach((bytes, j) => {
      const i = 49 - j;
      expect(fresh.decode(bytes)).toEqual({ id: i, name: `n${i}` });
    });
  });

  it('throws on functions and symbols', () => {
    expect(() => codec.encode(() => 1)).toThrow();
    expect(() => codec.encode({ nested: [Symbol('s')] })).toThrow();
  });
});

describe('values through the default codec of a cache', () => {
  const shape = (i: number): Record<string, unknown> => {
    // Object shapes differ by key names and key count, nested shapes too.
    const value: Record<string, unknown> = { id: i };
    for (let k = 0; k < (i % 5) + 1; k++) value[`f${i % 37}_${k}`] = k === 0 ? `s${i}` : k;
    value.child = { [`c${i % 11}`]: [i, { [`d${i % 13}`]: i % 2 === 0 }] };
    return value;
  };

  it('decodes every entry correctly when many distinct object shapes are stored', async () => {
    const cache = HydraCache.local().build();
    for (let i = 0; i < 600; i++) await cache.put(`k${i}`, shape(i));
    for (let i = 599; i >= 0; i--) expect(await cache.get(`k${i}`)).toEqual(shape(i));
  });

  it('keeps decoding correctly while entries of many shapes are evicted and replaced', async () => {
    const cache = HydraCache.local().maxCapacity(20).build();
    for (let i = 0; i < 1_000; i++) {
      await cache.put(`k${i % 50}`, shape(i));
      if (i % 7 === 0) expect(await cache.get(`k${i % 50}`)).toEqual(shape(i));
    }
    for (let i = 980; i < 1_000; i++) expect(await cache.get(`k${i % 50}`)).toEqual(shape(i));
  });

  it('decodes entries written before and after a flush', async () => {
    const cache = HydraCache.local().build();
    await cache.put('a', { before: 1 });
    await cache.flush();
    await cache.put('b', { after: 2 });
    await cache.put('c', { before: 3 });
    expect(await cache.get('b')).toEqual({ after: 2 });
    expect(await cache.get('c')).toEqual({ before: 3 });
  });

  it.each([
    ['1 KiB', 1_024],
    ['12 KiB', 12 * 1_024],
    ['100 KiB', 100 * 1_024],
    ['2 MiB', 2 * 1_024 * 1_024],
  ])('round-trips a %s value', async (_label, length) => {
    const cache = HydraCache.local().build();
    const value = { text: 'é'.repeat(length / 2), list: [1, 2, 3] };
    await cache.put('k', value);
    await cache.put('small', { n: 1 });
    expect(await cache.get('k')).toEqual(value);
    expect(await cache.get('small')).toEqual({ n: 1 });
    expect(await cache.get('k')).toEqual(value);
  });

  it('round-trips non-Latin text', async () => {
    const cache = HydraCache.local().build();
    const value = { text: 'Grüße, 世界 🙂 \u0000 end', keys: { ключ: 'значение' } };
    await cache.put('k', value);
    expect(await cache.get('k')).toEqual(value);
  });

  it('hands out binary data that does not share memory with the cache', async () => {
    const cache = HydraCache.local().build();
    await cache.put('k', { bytes: new Uint8Array([1, 2, 3]) });
    const first = (await cache.get<{ bytes: Uint8Array }>('k'))!;
    first.bytes[0] = 99;
    const second = (await cache.get<{ bytes: Uint8Array }>('k'))!;
    expect(Array.from(second.bytes)).toEqual([1, 2, 3]);
    // Another read must not overwrite what an earlier caller holds either.
    await cache.put('other', { bytes: new Uint8Array([7, 7, 7]) });
    await cache.get('other');
    expect(Array.from(second.bytes)).toEqual([1, 2, 3]);
  });

  it('keeps earlier decoded values intact across later reads of large entries', async () => {
    const cache = HydraCache.local().build();
    await cache.put('a', { text: 'a'.repeat(5_000) });
    await cache.put('b', { text: 'b'.repeat(5_000) });
    const a = await cache.get<{ text: string }>('a');
    await cache.get('b');
    expect(a?.text).toBe('a'.repeat(5_000));
  });
});

describe('codec failures in the cache', () => {
  describe('E_ENCODE', () => {
    const circularObject = (): unknown => {
      const o: Record<string, unknown> = { a: 1 };
      o.self = o;
      return o;
    };
    const circularArray = (): unknown => {
      const a: unknown[] = [1];
      a.push({ back: a });
      return a;
    };

    it.each([
      ['a function', () => () => 1],
      ['a nested function', () => ({ user: { id: 1, save: () => undefined } })],
      ['a symbol', () => Symbol('s')],
      ['a nested symbol', () => ({ kind: Symbol.for('k') })],
      ['a circular object', circularObject],
      ['a circular array', circularArray],
    ])('put rejects %s and leaves the cache unchanged and serving', async (_label, make) => {
      const cache = HydraCache.local().build();
      await cache.put('k', 'previous', { tags: ['t'] });
      await cache.put('other', 'other');
      const error = await errorOf(cache.put('k', make(), { tags: ['t', 'new-tag'] }));
      expect(error.code).toBe('E_ENCODE');
      expect(error.key).toBe('k');
      expect(error.cause).toBeDefined();
      expect(error.message).toContain('"k"');
      expect(await cache.get('k')).toBe('previous');
      expect(cache.stats().size).toBe(2);
      expect(cache.diagnostics().indexedTags).toBe(1);
      // Still serving, and still able to store.
      await cache.put('k2', { ok: true });
      expect(await cache.get('k2')).toEqual({ ok: true });
      expect(await cache.get('other')).toBe('other');
    });

    it('getOrLoad rejects an unencodable loaded value with E_ENCODE, caching nothing', async () => {
      const cache = HydraCache.local().build();
      const error = await errorOf(
        cache.getOrLoad('k', { tags: ['t'] }, async () => circularObject()),
      );
      expect(error.code).toBe('E_ENCODE');
      expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0, inFlightLoads: 0 });
      expect(await cache.getOrLoad('k', undefined, async () => 'ok')).toBe('ok');
    });

    it('wraps a custom codec encode failure with its cause', async () => {
      const codec = new FaultyCodec();
      const cache = HydraCache.local().codec(codec).build();
      codec.failEncodes = 1;
      const error = await errorOf(cache.put('k', 1));
      expect(error.code).toBe('E_ENCODE');
      expect(error.cause).toBe(codec.encodeError);
      expect(await cache.containsKey('k')).toBe(false);
    });
  });

  describe('E_DECODE', () => {
    let codec: FaultyCodec;
    let cache: HydraCache;

    beforeEach(async () => {
      codec = new FaultyCodec();
      cache = HydraCache.local().codec(codec).build();
      await cache.put('k', 'stored', { tags: ['t'] });
    });

    it('get rejects with E_DECODE carrying the codec error, and removes the entry', async () => {
      codec.failDecodes = 1;
      const error = await errorOf(cache.get('k'));
      expect(error.code).toBe('E_DECODE');
      expect(error.cause).toBe(codec.decodeError);
      expect(error.key).toBe('k');
      expect(await cache.containsKey('k')).toBe(false);
      expect(cache.stats()).toMatchObject({ size: 0, misses: 1, hits: 0, invalidations: 0 });
      expect(cache.diagnostics().indexedTags).toBe(0);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('getOrLoad reloads over an undecodable entry', async () => {
      codec.failDecodes = 1;
      const loader = jest.fn(async () => 'reloaded');
      expect(await cache.getOrLoad('k', undefined, loader)).toBe('reloaded');
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await cache.get('k')).toBe('reloaded');
      expect(cache.stats()).toMatchObject({ misses: 1, loads: 1, hits: 1 });
    });

    it('a cache whose codec cannot decode anything keeps rejecting without caching garbage', async () => {
      codec.failDecodes = Infinity;
      const error = await errorOf(cache.getOrLoad('k', undefined, async () => 'v'));
      expect(error.code).toBe('E_DECODE');
      await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_DECODE' });
      expect(await cache.containsKey('k')).toBe(false);
    });
  });

  describe('a custom codec', () => {
    it('is used for every write and every read', async () => {
      const codec = new FaultyCodec();
      const cache = HydraCache.local().codec(codec).build();
      await cache.put('k', { n: 1 });
      await cache.get('k');
      await cache.get('k');
      await cache.getOrLoad('k', undefined, () => ({ n: 2 }));
      expect(codec.encodes).toBe(1);
      expect(codec.decodes).toBe(3);
    });
  });
});

describe('maxEntryBytes', () => {
  // A string encodes the same way whatever the codec's record settings: header + UTF-8 bytes.
  const value = 'x'.repeat(100);
  const size = new CborCodec().encode(value).byteLength;

  it('measures the CBOR encoding of the value', () => {
    expect(size).toBeGreaterThan(100);
    expect(size).toBeLessThan(110);
  });

  it('accepts an entry whose encoding is exactly the limit', async () => {
    const cache = HydraCache.local().maxEntryBytes(size).build();
    await cache.put('k', value);
    expect(await cache.get('k')).toEqual(value);
  });

  it('put rejects a larger entry with E_ENTRY_TOO_LARGE and leaves the cache unchanged', async () => {
    const cache = HydraCache.local()
      .maxEntryBytes(size - 1)
      .build();
    await cache.put('k', 'small', { tags: ['t'] });
    const error = await errorOf(cache.put('k', value, { tags: ['other'] }));
    expect(error.code).toBe('E_ENTRY_TOO_LARGE');
    expect(error.key).toBe('k');
    expect(error.message).toContain(String(size));
    expect(await cache.get('k')).toBe('small');
    expect(cache.diagnostics()).toMatchObject({ entries: 1, indexedTags: 1 });
  });

  it('getOrLoad returns a too-large value but does not cache it', async () => {
    const cache = HydraCache.local()
      .maxEntryBytes(size - 1)
      .build();
    const loader = jest.fn(async () => value);
    expect(await cache.getOrLoad('k', { tags: ['t'] }, loader)).toEqual(value);
    expect(await cache.containsKey('k')).toBe(false);
    expect(await cache.getOrLoad('k', { tags: ['t'] }, loader)).toEqual(value);
    expect(loader).toHaveBeenCalledTimes(2);
    expect(cache.stats()).toMatchObject({ size: 0, staleLoadDiscards: 0 });
    expect(cache.diagnostics().indexedTags).toBe(0);
  });

  it('defaults to 16 MiB', async () => {
    const cache = HydraCache.local().build();
    const limit = 16 * 1024 * 1024;
    const big = new Uint8Array(limit);
    await expect(cache.put('big', big)).rejects.toMatchObject({ code: 'E_ENTRY_TOO_LARGE' });
    const fits = new Uint8Array(limit - 64);
    await cache.put('fits', fits);
    expect(((await cache.get('fits')) as Uint8Array).byteLength).toBe(limit - 64);
  });
});
