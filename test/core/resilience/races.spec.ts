import { HydraCache } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

/*
 * The races FusionCache (#625, #628) got wrong: a load that runs in the background, or past a
 * caller's timeout, must pass the same stale-load check as every load.
 */
describe('background and timed-out loads never store what an invalidation made stale', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  const stale = { ttl: 1_000, grace: 60_000, tags: ['users'] };

  it('an invalidation during a stale-while-revalidate refresh', async () => {
    await cache.getOrLoad('u1', stale, () => 'old');
    advance(2_000);
    const refresh = deferred<string>();
    expect(await cache.getOrLoad('u1', stale, () => refresh.promise)).toBe('old');
    await cache.invalidateTag('users');
    refresh.resolve('read before the invalidation');
    await flushMicrotasks();
    expect(await cache.get('u1')).toBeUndefined();
    expect(await cache.getOrLoad('u1', stale, () => 'new')).toBe('new');
    expect(cache.stats().staleLoadDiscards).toBe(1);
  });

  it('an invalidation during a soft-timed-out load', async () => {
    await cache.getOrLoad('u1', stale, () => 'old');
    advance(2_000);
    const slow = deferred<string>();
    const call = cache.getOrLoad('u1', { ...stale, timeout: 100 }, () => slow.promise);
    await flushMicrotasks();
    advance(100);
    expect(await call).toBe('old');
    await cache.invalidateKey('u1');
    slow.resolve('read before the invalidation');
    await flushMicrotasks();
    expect(await cache.get('u1')).toBeUndefined();
  });

  it('an invalidation during an eager refresh', async () => {
    const eager = { ttl: 1_000, refreshAhead: 0.5, tags: ['users'] };
    await cache.getOrLoad('u1', eager, () => 'old');
    advance(600);
    const refresh = deferred<string>();
    expect(await cache.getOrLoad('u1', eager, () => refresh.promise)).toBe('old');
    await cache.invalidateTag('users');
    refresh.resolve('read before the invalidation');
    await flushMicrotasks();
    expect(await cache.get('u1')).toBeUndefined();
  });

  it('a put during a background refresh wins over it', async () => {
    await cache.getOrLoad('u1', stale, () => 'old');
    advance(2_000);
    const refresh = deferred<string>();
    await cache.getOrLoad('u1', stale, () => refresh.promise);
    await cache.put('u1', 'put meanwhile');
    refresh.resolve('refreshed');
    await flushMicrotasks();
    expect(await cache.get('u1')).toBe('put meanwhile');
  });

  it('a stale value is not served once the soft timeout finds it invalidated: the caller waits for the load', async () => {
    await cache.getOrLoad('u1', stale, () => 'old');
    advance(2_000);
    const slow = deferred<string>();
    const call = cache.getOrLoadWithStatus('u1', { ...stale, timeout: 100 }, () => slow.promise);
    await cache.invalidateKey('u1');
    advance(100);
    slow.resolve('loaded');
    expect(await call).toEqual({ value: 'loaded', status: 'miss' });
  });
});
