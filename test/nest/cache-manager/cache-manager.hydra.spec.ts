import { afterEach, describe, expect, it } from '@jest/globals';
import { HydraCache, HydraCacheManager, MemoryBusHub } from '@hydracache/nestjs';
import { deferred, flushMicrotasks } from '../../support/deferred.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';

const caches: HydraCache[] = [];
function manager(cache = new HydraCache(), ttl?: number): HydraCacheManager {
  caches.push(cache);
  return new HydraCacheManager(cache, ttl);
}
afterEach(async () => {
  uninstallFakeClock();
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

// What CACHE_MANAGER calls gain by going through a HydraCache.
describe('HydraCacheManager beyond cache-manager', () => {
  it('does not store a wrap result when the key was deleted while the function ran', async () => {
    const m = manager();
    const gate = deferred<string>();
    const load = m.wrap('user:1', () => gate.promise, 60_000);
    await flushMicrotasks();
    await m.del('user:1'); // the write that made the running load's answer stale
    gate.resolve('old');
    expect(await load).toBe('old');
    expect(await m.get('user:1')).toBeUndefined();
  });

  it('set and del reach the other instances on the bus', async () => {
    const hub = new MemoryBusHub();
    const a = manager(HydraCache.local().bus(hub.transport()).build());
    const b = manager(HydraCache.local().bus(hub.transport()).build());
    await b.set('k', 'b-copy');
    await a.set('k', 'new');
    expect(await b.get('k')).toBeUndefined();
    await b.set('k', 'new');
    await a.del('k');
    expect(await b.get('k')).toBeUndefined();
  });

  it('wrap with refreshThreshold refreshes in the background once less TTL than that is left', async () => {
    installFakeClock();
    const m = manager();
    let version = 0;
    const fn = async () => ++version;
    expect(await m.wrap('k', fn, 10_000, 3_000)).toBe(1);
    advance(6_000);
    expect(await m.wrap('k', fn, 10_000, 3_000)).toBe(1);
    expect(version).toBe(1);
    advance(1_500); // 2.5 s left, under the threshold: served, refreshed behind it
    expect(await m.wrap('k', fn, 10_000, 3_000)).toBe(1);
    await flushMicrotasks();
    expect(version).toBe(2);
    expect(await m.get('k')).toBe(2);
  });

  it('uses its own default TTL for set and wrap calls without one', async () => {
    installFakeClock();
    const m = manager(new HydraCache(), 1_000);
    await m.set('a', 1);
    await m.wrap('b', () => 2);
    expect(await m.ttl('a')).toBe(Date.now() + 1_000);
    advance(1_001);
    expect(await m.mget(['a', 'b'])).toEqual([undefined, undefined]);
  });

  it('rejects a negative TTL with E_INVALID_OPTION', async () => {
    const m = manager();
    await expect(m.set('a', 1, -5)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
  });

  it('emits cache-manager events to listeners', async () => {
    const m = manager();
    const seen: unknown[] = [];
    m.on('set', (data) => seen.push(data));
    await m.set('a', 1);
    expect(seen).toEqual([{ key: 'a', value: 1 }]);
    expect(m.cacheId()).toBe('default');
  });
});
