import { jest } from '@jest/globals';
import { HydraCache } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

describe('eager refresh, adaptive TTL and jitter', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    jest.restoreAllMocks();
    uninstallFakeClock();
  });

  const eager = { ttl: 1_000, refreshAhead: 0.8 };

  it('the first hit past refreshAhead returns the fresh value and starts one background refresh', async () => {
    await cache.getOrLoad('k', eager, () => 'v1');
    advance(799);
    const loader = jest.fn(() => 'unused');
    expect(await cache.getOrLoad('k', eager, loader)).toBe('v1');
    expect(loader).not.toHaveBeenCalled();
    advance(1);
    const refresh = deferred<string>();
    const refreshing = jest.fn(() => refresh.promise);
    expect(await cache.getOrLoadWithStatus('k', eager, refreshing)).toEqual({
      value: 'v1',
      status: 'hit',
    });
    expect(await cache.getOrLoad('k', eager, refreshing)).toBe('v1');
    expect(refreshing).toHaveBeenCalledTimes(1);
    refresh.resolve('v2');
    await flushMicrotasks();
    // The refreshed entry has a new TTL: the key never expired under load.
    advance(700);
    expect(await cache.get('k')).toBe('v2');
    expect(cache.stats()).toMatchObject({ backgroundRefreshes: 1, hits: 4 });
  });

  it('a failed eager refresh keeps the live value and rests the loader for failSafeBackoff', async () => {
    const opts = { ...eager, failSafeBackoff: 100 };
    await cache.getOrLoad('k', opts, () => 'v1');
    advance(850);
    const failing = jest.fn(() => Promise.reject(new Error('down')));
    expect(await cache.getOrLoad('k', opts, failing)).toBe('v1');
    await flushMicrotasks();
    expect(await cache.getOrLoad('k', opts, failing)).toBe('v1');
    expect(failing).toHaveBeenCalledTimes(1);
    advance(100);
    expect(await cache.getOrLoad('k', opts, failing)).toBe('v1');
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('get reads an entry past its refresh point as the live value it is', async () => {
    await cache.getOrLoad('k', eager, () => 'v1');
    advance(900);
    expect(await cache.get('k')).toBe('v1');
    expect(await cache.containsKey('k')).toBe(true);
  });

  it('ttl may be a function of the result: a short TTL for "not found"', async () => {
    const ttl = (user: string | null) => (user === null ? 5_000 : 60_000);
    await cache.getOrLoad<string | null>('missing', { ttl }, () => null);
    await cache.getOrLoad<string | null>('found', { ttl }, () => 'Ada');
    advance(5_000);
    expect(await cache.containsKey('missing')).toBe(false);
    expect(await cache.containsKey('found')).toBe(true);
  });

  it('a TTL function returning an invalid TTL fails the load with E_INVALID_OPTION, storing nothing', async () => {
    await expect(cache.getOrLoad('k', { ttl: () => -1 }, () => 'v')).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
    });
    expect(await cache.containsKey('k')).toBe(false);
  });

  it('ttlJitter shortens each stored TTL by up to that fraction', async () => {
    jest.spyOn(Math, 'random').mockReturnValueOnce(0.5).mockReturnValueOnce(0);
    await cache.getOrLoad('a', { ttl: 1_000, ttlJitter: 0.2 }, () => 'a');
    await cache.getOrLoad('b', { ttl: 1_000, ttlJitter: 0.2 }, () => 'b');
    advance(900);
    expect(await cache.containsKey('a')).toBe(false); // 1 000 - 1 000 * 0.2 * 0.5 = 900
    expect(await cache.containsKey('b')).toBe(true);
  });
});
