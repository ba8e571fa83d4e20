import { jest } from '@jest/globals';
import { HydraCache } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

describe('grace and stale-while-revalidate', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  const options = { ttl: 1_000, grace: 10_000 };

  it('serves the stale value at once past the TTL and refreshes it once in the background', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(1_500);
    const refresh = deferred<string>();
    const loader = jest.fn(() => refresh.promise);
    expect(await cache.getOrLoadWithStatus('k', options, loader)).toEqual({
      value: 'v1',
      status: 'stale',
    });
    expect(await cache.getOrLoad('k', options, loader)).toBe('v1');
    expect(loader).toHaveBeenCalledTimes(1);
    refresh.resolve('v2');
    await flushMicrotasks();
    expect(await cache.getOrLoadWithStatus('k', options, loader)).toEqual({
      value: 'v2',
      status: 'hit',
    });
    expect(cache.stats()).toMatchObject({ staleHits: 2, backgroundRefreshes: 1, loads: 2 });
  });

  it('get and containsKey treat an entry past its TTL as absent, but keep it for get-or-load', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(1_500);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.containsKey('k')).toBe(false);
    const refresh = deferred<string>();
    expect(await cache.getOrLoad('k', options, () => refresh.promise)).toBe('v1');
    refresh.resolve('v2');
  });

  it('past the grace the entry is gone and the caller waits for the load', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(11_001);
    expect(await cache.getOrLoadWithStatus('k', options, () => 'v2')).toEqual({
      value: 'v2',
      status: 'miss',
    });
  });

  it('an entry stored without grace expires as before', async () => {
    await cache.getOrLoad('k', { ttl: 1_000 }, () => 'v1');
    advance(1_001);
    expect(await cache.getOrLoad('k', { ttl: 1_000 }, () => 'v2')).toBe('v2');
    expect(cache.stats().staleHits).toBe(0);
  });

  it('grace is recorded with the entry: the reader’s own options do not extend it', async () => {
    await cache.getOrLoad('k', { ttl: 1_000 }, () => 'v1');
    advance(1_500);
    expect(await cache.getOrLoad('k', options, () => 'v2')).toBe('v2');
  });

  it('the cache default grace applies to puts and loads without their own', async () => {
    const graceful = new HydraCache({ grace: 5_000, defaultTtl: 1_000 });
    await graceful.put('k', 'v1');
    advance(2_000);
    const refresh = deferred<string>();
    expect(await graceful.getOrLoad('k', undefined, () => refresh.promise)).toBe('v1');
    refresh.resolve('v2');
    await flushMicrotasks();
    expect(await graceful.get('k')).toBe('v2');
    await graceful.close();
  });

  it('a soft timeout waits for a refresh that makes it in time', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(1_500);
    const refresh = deferred<string>();
    const call = cache.getOrLoadWithStatus(
      'k',
      { ...options, timeout: 100 },
      () => refresh.promise,
    );
    advance(50);
    refresh.resolve('v2');
    expect(await call).toEqual({ value: 'v2', status: 'miss' });
    expect(cache.stats().softTimeouts).toBe(0);
  });

  it('a soft timeout serves the stale value after that long and lets the load finish', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(1_500);
    const refresh = deferred<string>();
    const call = cache.getOrLoadWithStatus(
      'k',
      { ...options, timeout: 100 },
      () => refresh.promise,
    );
    await flushMicrotasks();
    advance(100);
    expect(await call).toEqual({ value: 'v1', status: 'stale' });
    refresh.resolve('v2');
    await flushMicrotasks();
    expect(await cache.get('k')).toBe('v2');
    expect(cache.stats()).toMatchObject({ softTimeouts: 1, staleHits: 1 });
  });

  it('rejects bad resilience options with E_INVALID_OPTION naming the field', async () => {
    const bad: [object, string][] = [
      [{ grace: -1 }, 'grace'],
      [{ timeout: 'soon' }, 'timeout'],
      [{ hardTimeout: 0 }, 'hardTimeout'],
      [{ failSafeBackoff: NaN }, 'failSafeBackoff'],
      [{ refreshAhead: 1 }, 'refreshAhead'],
      [{ refreshAhead: 0 }, 'refreshAhead'],
      [{ ttlJitter: 1.5 }, 'ttlJitter'],
    ];
    await cache.put('k', 'v');
    for (const [opts, field] of bad) {
      // Refused on a hit as on a miss.
      await expect(cache.getOrLoad('k', opts, () => 'x')).rejects.toMatchObject({
        code: 'E_INVALID_OPTION',
        message: expect.stringContaining(`"${field}"`),
      });
    }
    expect(() => new HydraCache({ grace: -5 })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
  });
});
