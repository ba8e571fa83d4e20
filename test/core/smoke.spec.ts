import { HydraCache, CacheOptions } from '../../lib/index.js';

describe('smoke', () => {
  it('caches a value', async () => {
    const cache = HydraCache.local().build();
    await cache.put('a', { n: 1, at: new Date(5) }, CacheOptions.new().tags(['t']));
    expect(await cache.get('a')).toEqual({ n: 1, at: new Date(5) });
    expect(await cache.invalidateTag('t')).toBe(1);
    expect(await cache.get('a')).toBeUndefined();
  });
});
