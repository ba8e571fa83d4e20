import { jest } from '@jest/globals';
import { CacheError, HydraCache } from '../../lib/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

async function errorOf(promise: Promise<unknown>): Promise<CacheError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as CacheError,
  );
}

describe('a loader that asks the cache for its own key', () => {
  it('rejects the inner call with E_REENTRANT_LOAD instead of throwing synchronously', async () => {
    const cache = HydraCache.local().build();
    let inner: Promise<unknown> | undefined;
    const outer = cache.getOrLoad('user:1', {}, () => {
      inner = cache.getOrLoad('user:1', {}, () => 'inner');
      return 'outer';
    });
    expect(await outer).toBe('outer');
    const error = await errorOf(inner!);
    expect(error).toBeInstanceOf(CacheError);
    expect(error.code).toBe('E_REENTRANT_LOAD');
    expect(error.message).toContain('"user:1"');
    expect(cache.diagnostics().inFlightLoads).toBe(0);
    expect(await cache.get('user:1')).toBe('outer');
  });
});

describe('result-tag joiners when the load was overtaken twice', () => {
  // Another load finishing used to prune the record of the result tag's invalidation once the
  // overtaken load had left the joinable map; a joiner that came after the invalidation then got
  // the pre-invalidation value.
  const overtakers: [string, (cache: HydraCache) => Promise<unknown>][] = [
    ['put', (cache) => cache.put('user:1', 'put value')],
    ['invalidateKey', (cache) => cache.invalidateKey('user:1')],
    ['flush', (cache) => cache.flush()],
    ['a declared tag', (cache) => cache.invalidateTag('declared')],
  ];

  it.each(overtakers)(
    'a joiner after the result-tag invalidation never gets the old value (then %s)',
    async (_name, overtake) => {
      const cache = HydraCache.local().build();
      let row = 'old';
      const gate = deferred<void>();
      // Reads the row once the gate opens, like a query that was slow to answer.
      const query = async () => {
        const read = row;
        await gate.promise;
        return read;
      };
      const options = { tags: ['declared'], resultTags: () => ['users'] };
      const starter = cache.getOrLoad('user:1', options, query);
      row = 'new';
      await cache.invalidateTag('users');
      const lateJoiner = cache.getOrLoad('user:1', options, query);
      await overtake(cache);
      // Another load finishing while the overtaken one still runs.
      await cache.getOrLoad('other', {}, async () => 'x');
      gate.resolve();
      expect(await starter).toBe('old');
      expect(['new', 'put value']).toContain(await lateJoiner);
    },
  );
});

describe('invalidation records while a load never settles', () => {
  it('stay bounded for a load with result tags', async () => {
    const cache = HydraCache.local().build();
    const hung = deferred<string>();
    void cache.getOrLoad('hung', { resultTags: () => ['t'] }, () => hung.promise);
    for (let i = 0; i < 5_000; i++) await cache.invalidateTag(`tag:${i}`);
    expect(cache.diagnostics().tagGenerations).toBeLessThanOrEqual(256);
    hung.resolve('late');
    await flushMicrotasks();
    // Too many invalidations to record: the result counts as stale and is not stored.
    expect(await cache.containsKey('hung')).toBe(false);
    expect(cache.diagnostics().tagGenerations).toBe(0);
  });

  it('are not kept at all for loads without result tags', async () => {
    const cache = HydraCache.local().build();
    void cache.getOrLoad('hung', { tags: ['a'] }, () => new Promise<string>(() => {}));
    for (let i = 0; i < 1_000; i++) await cache.invalidateTag(`tag:${i}`);
    expect(cache.diagnostics().tagGenerations).toBe(0);
  });
});

describe('options the cache would otherwise ignore', () => {
  const bad: [string, unknown, string][] = [
    // (A symbol-keyed field is refused when options are read, on a miss; see below.)
    ['a misspelt field', { tag: 'users' }, '"tag"'],
    ['an array', ['users'], 'options'],
    ['a Date', new Date(0), 'options'],
    ['a Map', new Map([['tags', ['users']]]), 'options'],
    [
      'a class instance',
      new (class Opts {
        tags = ['users'];
      })(),
      'options',
    ],
  ];

  it.each(bad)(
    'getOrLoad refuses %s with E_INVALID_OPTION, on a miss and on a hit',
    async (_n, options, named) => {
      const cache = HydraCache.local().build();
      const loader = jest.fn(() => 'v');
      const onMiss = await errorOf(cache.getOrLoad('k', options as object, loader));
      expect(onMiss.code).toBe('E_INVALID_OPTION');
      expect(onMiss.message).toContain(named);
      expect(loader).not.toHaveBeenCalled();
      await cache.put('k', 'stored');
      const onHit = await errorOf(cache.getOrLoad('k', options as object, loader));
      expect(onHit.code).toBe('E_INVALID_OPTION');
    },
  );

  it.each(bad)('put refuses %s and stores nothing', async (_n, options) => {
    const cache = HydraCache.local().build();
    const error = await errorOf(cache.put('k', 'v', options as object));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(await cache.containsKey('k')).toBe(false);
  });

  it('put refuses the load-only options', async () => {
    const cache = HydraCache.local().build();
    const error = await errorOf(cache.put('k', 'v', { unless: () => true } as object));
    expect(error.message).toContain('"unless"');
  });

  it('names the unknown field and the known ones', async () => {
    const cache = HydraCache.local().build();
    const error = await errorOf(cache.getOrLoad('k', { ttls: 5 } as object, () => 1));
    expect(error.message).toBe(
      'Unknown option "ttls" in options: expected one of ttl, tags, resultTags, unless, grace, ' +
        'failSafeBackoff, timeout, hardTimeout, refreshAhead, ttlJitter, l2.',
    );
  });

  it('still takes no options, null, and a plain object with the known fields', async () => {
    const cache = HydraCache.local().build();
    expect(await cache.getOrLoad('a', undefined, () => 1)).toBe(1);
    expect(await cache.getOrLoad('b', null as unknown as undefined, () => 2)).toBe(2);
    expect(
      await cache.getOrLoad('c', Object.assign(Object.create(null), { ttl: 5 }), () => 3),
    ).toBe(3);
  });

  it('refuses a symbol-keyed field when it reads the options', async () => {
    const cache = HydraCache.local().build();
    const error = await errorOf(cache.getOrLoad('k', { [Symbol('x')]: 1 } as object, () => 1));
    expect(error.message).toContain('"Symbol(x)"');
  });

  it('refuses tags whose Symbol.iterator is not callable', async () => {
    const cache = HydraCache.local().build();
    const tags = { [Symbol.iterator]: 5 } as unknown as string[];
    const error = await errorOf(cache.getOrLoad('k', { tags }, () => 1));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain('"tags"');
  });
});
