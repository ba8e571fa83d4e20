import { jest } from '@jest/globals';
import { CacheError, HydraCache, type LoadOptionsInput } from '../../lib/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

describe('callers joining a running load', () => {
  it.each([
    ['an unknown field', { tag: 'users' }],
    ['a bad ttl', { ttl: -1 }],
    ['a non-plain options object', new Date()],
  ])('are refused for %s, while the load serves the others', async (_what, bad) => {
    const cache = HydraCache.local().noCopy().build();
    const gate = deferred<string>();
    const loader = jest.fn(() => gate.promise);
    const first = cache.getOrLoad('k', { ttl: 1_000 }, loader);
    const refused = cache.getOrLoad('k', bad as LoadOptionsInput<string>, loader);
    const joined = cache.getOrLoad('k', { ttl: 5 }, loader);
    await expect(refused).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(refused).rejects.toBeInstanceOf(CacheError);
    gate.resolve('v');
    expect(await Promise.all([first, joined])).toEqual(['v', 'v']);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toMatchObject({ loads: 1, singleFlightJoins: 1 });
  });

  it("store the value under the starting caller's options, not a joiner's", async () => {
    const cache = HydraCache.local().build();
    const gate = deferred<string>();
    const first = cache.getOrLoad('k', { tags: ['a'] }, () => gate.promise);
    const joined = cache.getOrLoad('k', { tags: new Set(['b']) }, () => 'unused');
    await flushMicrotasks();
    gate.resolve('v');
    await Promise.all([first, joined]);
    expect(await cache.invalidateTag('b')).toBe(0);
    expect(await cache.invalidateTag('a')).toBe(1);
  });
});
