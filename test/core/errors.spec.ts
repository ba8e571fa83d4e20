import {
  CacheError,
  CacheKeyBuilder,
  CacheOptions,
  HydraCache,
  type CacheErrorCode,
} from '../../lib/index.js';

/** Calls `fn`, asserting it does not throw synchronously, and returns the promise it produced. */
function call(fn: () => Promise<unknown>): Promise<unknown> {
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = fn();
  }).not.toThrow();
  expect(promise).toBeInstanceOf(Promise);
  return promise!;
}

async function expectRejection(
  fn: () => Promise<unknown>,
  code: CacheErrorCode,
  mentions?: string,
): Promise<void> {
  const error = await call(fn).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CacheError);
  expect((error as CacheError).code).toBe(code);
  if (mentions !== undefined) expect((error as CacheError).message).toContain(mentions);
}

const bad = (value: unknown): never => value as never;

describe('CacheError', () => {
  it('is an Error with a name, a stable code, a key and a cause', async () => {
    const cache = HydraCache.local().build();
    const error = await cache.put('k', () => 1).catch((e: unknown) => e as CacheError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CacheError);
    expect(error?.name).toBe('CacheError');
    expect(error?.code).toBe('E_ENCODE');
    expect(error?.key).toBe('k');
    expect(error?.cause).toBeInstanceOf(Error);
    expect(typeof error?.stack).toBe('string');
  });

  it('has no cause when there is none', async () => {
    const cache = HydraCache.local().build();
    const error = await cache.put('k', undefined).catch((e: unknown) => e as CacheError);
    expect(error?.code).toBe('E_INVALID_OPTION');
    expect(error?.cause).toBeUndefined();
  });

  it('is not used to wrap loader errors', async () => {
    const cache = HydraCache.local().build();
    class DomainError extends Error {}
    const failure = new DomainError('not found');
    const error = await cache
      .getOrLoad('k', undefined, () => Promise.reject(failure))
      .catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(error).not.toBeInstanceOf(CacheError);
  });
});

describe('promise-returning methods reject on bad input, never throw synchronously', () => {
  const cache = HydraCache.local().build();
  const typed = cache.typed<number>('ns');
  const badKeys: [string, unknown][] = [
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a plain object', { key: 'k' }],
    ['an unbuilt CacheKeyBuilder', new CacheKeyBuilder().segment('k')],
  ];

  describe.each(badKeys)('with %s as key', (_label, key) => {
    it.each([
      ['get', () => cache.get(bad(key))],
      ['put', () => cache.put(bad(key), 1)],
      ['getOrLoad', () => cache.getOrLoad(bad(key), undefined, () => 1)],
      ['getOrInsertWith', () => cache.getOrInsertWith(bad(key), undefined, () => 1)],
      ['tryGetOrInsertWith', () => cache.tryGetOrInsertWith(bad(key), undefined, () => 1)],
      ['containsKey', () => cache.containsKey(bad(key))],
      ['invalidateKey', () => cache.invalidateKey(bad(key))],
      ['remove', () => cache.remove(bad(key))],
      ['typed get', () => typed.get(bad(key))],
      ['typed put', () => typed.put(bad(key), 1)],
      ['typed getOrLoad', () => typed.getOrLoad(bad(key), undefined, () => 1)],
      ['typed getOrInsertWith', () => typed.getOrInsertWith(bad(key), undefined, () => 1)],
      ['typed tryGetOrInsertWith', () => typed.tryGetOrInsertWith(bad(key), undefined, () => 1)],
      ['typed containsKey', () => typed.containsKey(bad(key))],
      ['typed invalidateKey', () => typed.invalidateKey(bad(key))],
      ['typed remove', () => typed.remove(bad(key))],
    ])('%s rejects with E_INVALID_KEY', async (_name, fn) => {
      await expectRejection(fn, 'E_INVALID_KEY');
    });
  });

  describe.each([
    ['a number', 5],
    ['a string', 'ttl=5'],
    ['a function', () => ({ ttl: 5 })],
  ])('with %s as options', (_label, options) => {
    it.each([
      ['put', () => cache.put('k', 1, bad(options))],
      ['getOrLoad', () => cache.getOrLoad('k', bad(options), () => 1)],
      ['getOrInsertWith', () => cache.getOrInsertWith('k', bad(options), () => 1)],
      ['tryGetOrInsertWith', () => cache.tryGetOrInsertWith('k', bad(options), () => 1)],
      ['typed put', () => typed.put('k', 1, bad(options))],
      ['typed getOrLoad', () => typed.getOrLoad('k', bad(options), () => 1)],
    ])('%s rejects with E_INVALID_OPTION naming "options"', async (_name, fn) => {
      await expectRejection(fn, 'E_INVALID_OPTION', 'options');
    });
  });

  describe.each([
    ['zero', 0],
    ['negative', -1],
    ['NaN', NaN],
    ['-Infinity', -Infinity],
    ['a string', '1000'],
    ['null', null],
  ])('with a %s ttl', (_label, ttl) => {
    it.each([
      ['put', () => cache.put('k', 1, { ttl: bad(ttl) })],
      ['getOrLoad', () => cache.getOrLoad('k', { ttl: bad(ttl) }, () => 1)],
      ['typed put', () => typed.put('k', 1, { ttl: bad(ttl) })],
      ['typed getOrLoad', () => typed.getOrLoad('k', { ttl: bad(ttl) }, () => 1)],
    ])('%s rejects with E_INVALID_OPTION naming "ttl"', async (_name, fn) => {
      await expectRejection(fn, 'E_INVALID_OPTION', 'ttl');
    });
  });

  describe.each([
    ['a number', 7],
    ['an array with a number', ['ok', 7]],
    ['null', null],
    ['a Map', new Map([['a', 'b']])],
  ])('with %s as tags', (_label, tags) => {
    it.each([
      ['put', () => cache.put('k', 1, { tags: bad(tags) })],
      ['getOrLoad', () => cache.getOrLoad('k', { tags: bad(tags) }, () => 1)],
    ])('%s rejects with E_INVALID_OPTION naming "tags"', async (_name, fn) => {
      await expectRejection(fn, 'E_INVALID_OPTION', 'tags');
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a value', 42],
    ['a promise', Promise.resolve(1)],
  ])(
    'getOrLoad with %s as loader rejects with E_INVALID_OPTION naming "loader"',
    async (_l, fn) => {
      await expectRejection(
        () => cache.getOrLoad('k', undefined, bad(fn)),
        'E_INVALID_OPTION',
        'loader',
      );
      await expectRejection(
        () => cache.getOrInsertWith('k', undefined, bad(fn)),
        'E_INVALID_OPTION',
        'loader',
      );
      await expectRejection(
        () => cache.tryGetOrInsertWith('k', undefined, bad(fn)),
        'E_INVALID_OPTION',
        'loader',
      );
      await expectRejection(
        () => typed.getOrLoad('k', undefined, bad(fn)),
        'E_INVALID_OPTION',
        'loader',
      );
    },
  );

  it('rejects a non-function loader even when the key is cached', async () => {
    await cache.put('cached', 1);
    await expectRejection(() => cache.getOrLoad('cached', undefined, bad(1)), 'E_INVALID_OPTION');
  });

  it.each([
    ['resultTags', { resultTags: 'user:1' }],
    ['unless', { unless: true }],
  ])('getOrLoad rejects a non-function %s', async (field, options) => {
    await expectRejection(
      () => cache.getOrLoad('k', bad(options), () => 1),
      'E_INVALID_OPTION',
      field,
    );
  });

  it.each([
    ['a number', 1],
    ['undefined', undefined],
    ['null', null],
    ['an object', { tag: 't' }],
    ['an array', ['a', 'b']],
  ])('invalidateTag with %s rejects with E_INVALID_OPTION', async (_label, tag) => {
    await expectRejection(() => cache.invalidateTag(bad(tag)), 'E_INVALID_OPTION', 'tag');
    await expectRejection(() => typed.invalidateTag(bad(tag)), 'E_INVALID_OPTION', 'tag');
  });

  it.each([
    ['a number', 1],
    ['undefined', undefined],
    ['an array with a number', ['a', 2]],
  ])('invalidateTags with %s rejects with E_INVALID_OPTION', async (_label, tags) => {
    await expectRejection(() => cache.invalidateTags(bad(tags)), 'E_INVALID_OPTION');
  });

  it('rejects put(undefined) with E_INVALID_OPTION', async () => {
    await expectRejection(() => cache.put('k', undefined), 'E_INVALID_OPTION');
    await expectRejection(() => typed.put('k', bad(undefined)), 'E_INVALID_OPTION');
  });

  it('leaves the cache untouched after all these rejections', async () => {
    const fresh = HydraCache.local().build();
    await fresh.put('k', 'v', { tags: ['t'] });
    const before = fresh.stats();
    await fresh.put('k', 2, { ttl: 0 }).catch(() => undefined);
    await fresh.put('k', 2, { tags: bad(5) }).catch(() => undefined);
    await fresh.put(bad(1), 2).catch(() => undefined);
    await fresh.getOrLoad('k', { ttl: -1 }, () => 3).catch(() => undefined);
    await fresh.invalidateTag(bad(['t'])).catch(() => undefined);
    expect(fresh.stats()).toEqual(before);
    expect(await fresh.get('k')).toBe('v');
  });
});

describe('synchronous setters throw E_INVALID_OPTION at once', () => {
  it('CacheOptions and builder setters throw rather than reject', () => {
    expect(() => CacheOptions.new().ttl(0)).toThrow(CacheError);
    expect(() => HydraCache.local().maxCapacity(0)).toThrow(CacheError);
  });
});
