import { jest } from '@jest/globals';
import { HydraCache, MemoryBusHub } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

const down = new Error('database down');

describe('expireKey / expireTag', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  const graceful = { ttl: 60_000, grace: 5_000, timeout: 1_000, tags: ['users'] };

  it('keeps an expired entry for fail-safe within its grace, counted from the expiry', async () => {
    await cache.getOrLoad('u1', graceful, () => 'Ada');
    expect(await cache.expireKey('u1')).toBe(1);
    expect(await cache.get('u1')).toBeUndefined();
    // The next access refreshes it; a failing database gets the stale value instead of an error.
    expect(await cache.getOrLoadWithStatus('u1', graceful, () => Promise.reject(down))).toEqual({
      value: 'Ada',
      status: 'failSafe',
    });
    advance(5_000); // grace, counted from the expire (not from the original expiry)
    await expect(cache.getOrLoad('u1', graceful, () => Promise.reject(down))).rejects.toBe(down);
  });

  it('refreshes an expired entry on the next access', async () => {
    await cache.getOrLoad('u1', graceful, () => 'Ada');
    await cache.expireKey('u1');
    expect(await cache.getOrLoad('u1', graceful, () => 'Ada Lovelace')).toBe('Ada Lovelace');
    expect(await cache.get('u1')).toBe('Ada Lovelace');
  });

  it('expireTag expires every tagged entry and returns the count; a second expire counts none', async () => {
    await cache.getOrLoad('u1', graceful, () => 'Ada');
    await cache.getOrLoad('u2', graceful, () => 'Grace');
    await cache.getOrLoad('other', { grace: 5_000 }, () => 'x');
    expect(await cache.expireTag('users')).toBe(2);
    expect(await cache.expireTag('users')).toBe(0);
    expect(await cache.get('other')).toBe('x');
    // Still indexed under its tag: an invalidation after the expire removes the stale copies.
    expect(await cache.invalidateTag('users')).toBe(0);
    await expect(cache.getOrLoad('u1', graceful, () => Promise.reject(down))).rejects.toBe(down);
  });

  it('acts as a removal for entries stored without grace', async () => {
    await cache.getOrLoad('k', { tags: 't' }, () => 'v');
    expect(await cache.expireTag('t')).toBe(1);
    expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0 });
    await expect(cache.getOrLoad('k', undefined, () => Promise.reject(down))).rejects.toBe(down);
  });

  it('supersedes a running load of the key, like an invalidation', async () => {
    const gate = deferred<string>();
    const call = cache.getOrLoad('k', graceful, () => gate.promise);
    await cache.expireKey('k');
    gate.resolve('loaded before the expire');
    expect(await call).toBe('loaded before the expire');
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().staleLoadDiscards).toBe(1);
  });

  it('supersedes a running load that declared the tag', async () => {
    const gate = deferred<string>();
    const call = cache.getOrLoad('k', graceful, () => gate.promise);
    await cache.expireTag('users');
    gate.resolve('old');
    await call;
    expect(await cache.get('k')).toBeUndefined();
  });

  it('refuses a non-string tag', async () => {
    await expect(cache.expireTag(['users'] as never)).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
    });
  });
});

describe('expire on a bus', () => {
  afterEach(() => uninstallFakeClock());

  it('reaches the other instances, which remove their copy (wire version 1 carries it as an invalidation)', async () => {
    const hub = new MemoryBusHub();
    const [a, b] = [0, 1].map(() =>
      HydraCache.local()
        .bus(hub.transport(), { onWarn: () => undefined })
        .build(),
    ) as [HydraCache, HydraCache];
    await flushMicrotasks();
    for (const cache of [a, b]) await cache.getOrLoad('k', { tags: 't', grace: 5_000 }, () => 'v');
    expect(await b.containsKey('k')).toBe(true);
    expect(await a.expireKey('k')).toBe(1);
    await flushMicrotasks();
    expect(await b.containsKey('k')).toBe(false);
    const loader = jest.fn(() => 'fresh');
    expect(await b.getOrLoad('k', { grace: 5_000 }, loader)).toBe('fresh');
    await b.getOrLoad('j', { tags: 't', grace: 5_000 }, () => 'v');
    await a.expireTag('t');
    await flushMicrotasks();
    expect(await b.containsKey('j')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('an expired entry reads expired at once, before the read clock next ticks (real time)', async () => {
    uninstallFakeClock();
    const real = new HydraCache({ grace: 60_000 });
    await real.put('k', 'v');
    expect(await real.get('k')).toBe('v'); // the read clock holds a reading now
    const start = Date.now();
    while (Date.now() === start); // real time moves on without a timer turn
    expect(await real.expireKey('k')).toBe(1);
    expect(await real.get('k')).toBeUndefined();
    expect(await real.containsKey('k')).toBe(false);
    const served = await real.getOrLoadWithStatus('k', {}, () => 'fresh');
    expect(served).toEqual({ value: 'v', status: 'stale' });
    await real.close();
    installFakeClock();
  });
});
