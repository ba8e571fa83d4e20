import { HydraCache } from '../../lib/index.js';
import { deferred } from '../support/deferred.js';

describe('a value whose getter uses the same cache while it is being stored', () => {
  it('put: both the value and what the getter wrote are stored intact', async () => {
    const cache = HydraCache.local().build();
    let inner: Promise<void> | undefined;
    const value = {
      id: 1,
      get x() {
        inner = cache.put('other', { a: 1, list: ['nested', { deep: true }] });
        return 1;
      },
      after: { text: 'still here', at: new Date(5) },
    };
    await cache.put('k', value);
    await inner;
    expect(await cache.get('k')).toEqual({
      id: 1,
      x: 1,
      after: { text: 'still here', at: new Date(5) },
    });
    expect(await cache.get('other')).toEqual({ a: 1, list: ['nested', { deep: true }] });
    // Reading again, and storing more shapes afterwards, still decodes both.
    await cache.put('third', { z: [1, 2] });
    expect(await cache.get('k')).toMatchObject({ x: 1 });
    expect(await cache.get('other')).toMatchObject({ a: 1 });
  });

  it('getOrLoad: a loaded value whose getter writes and reads the cache', async () => {
    const cache = HydraCache.local().build();
    await cache.put('seen', { count: 0 });
    const gate = deferred<unknown>();
    const writes: Promise<unknown>[] = [];
    const loaded = {
      get total() {
        writes.push(cache.put('side', { from: 'getter' }), cache.get('seen'));
        return 3;
      },
      items: [{ id: 1 }, { id: 2 }],
    };
    const callers = [1, 2, 3].map(() => cache.getOrLoad('k', undefined, () => gate.promise));
    gate.resolve(loaded);
    const copies = await Promise.all(callers);
    await Promise.all(writes);
    for (const copy of copies) expect(copy).toEqual({ total: 3, items: [{ id: 1 }, { id: 2 }] });
    expect(await cache.get('k')).toEqual({ total: 3, items: [{ id: 1 }, { id: 2 }] });
    expect(await cache.get('side')).toEqual({ from: 'getter' });
    expect(await Promise.all(writes.slice(1))).toEqual([{ count: 0 }]);
  });

  it('a getter that stores into the same key: the outer value wins, nothing is corrupt', async () => {
    const cache = HydraCache.local().build();
    let inner: Promise<void> | undefined;
    await cache.put('k', {
      get x() {
        inner = cache.put('k', { inner: true });
        return 'outer';
      },
    });
    await inner;
    expect(await cache.get('k')).toEqual({ x: 'outer' });
  });
});
