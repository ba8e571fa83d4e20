import { jest } from '@jest/globals';
import { HydraCache } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

const down = new Error('database down');

describe('fail-safe', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  const options = { ttl: 1_000, grace: 60_000, timeout: 500, failSafeBackoff: 10_000 };

  it('serves the stale value instead of the loader error, then rests the loader for failSafeBackoff', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(2_000);
    const failing = jest.fn(() => Promise.reject(down));
    expect(await cache.getOrLoadWithStatus('k', options, failing)).toEqual({
      value: 'v1',
      status: 'failSafe',
    });
    expect(failing).toHaveBeenCalledTimes(1);
    // Within the backoff: the stale value, no loader call.
    advance(9_999);
    expect(await cache.getOrLoad('k', options, failing)).toBe('v1');
    expect(failing).toHaveBeenCalledTimes(1);
    // After it: the loader is tried again.
    advance(1);
    expect(await cache.getOrLoad('k', options, () => 'v2')).toBe('v2');
    expect(cache.stats()).toMatchObject({ failSafeActivations: 1, staleHits: 2 });
  });

  it('a background refresh failure (timeout 0) also starts the backoff, without an unhandled rejection', async () => {
    const swr = { ...options, timeout: 0 };
    await cache.getOrLoad('k', swr, () => 'v1');
    advance(2_000);
    const failing = jest.fn(() => Promise.reject(down));
    expect(await cache.getOrLoad('k', swr, failing)).toBe('v1');
    await flushMicrotasks();
    expect(await cache.getOrLoadWithStatus('k', swr, failing)).toEqual({
      value: 'v1',
      status: 'failSafe',
    });
    expect(failing).toHaveBeenCalledTimes(1);
    expect(cache.stats().failSafeActivations).toBe(1);
  });

  it('without a stale entry the loader error is rethrown unchanged and the next call retries at once', async () => {
    await expect(cache.getOrLoad('k', options, () => Promise.reject(down))).rejects.toBe(down);
    expect(await cache.getOrLoad('k', options, () => 'v')).toBe('v');
    expect(cache.stats().failSafeActivations).toBe(0);
  });

  it('never serves stale after an invalidation: the error propagates', async () => {
    await cache.getOrLoad('k', options, () => 'v1');
    advance(2_000);
    await cache.invalidateKey('k');
    await expect(cache.getOrLoad('k', options, () => Promise.reject(down))).rejects.toBe(down);
  });
});

describe('hard timeout', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  it('rejects the caller and every joiner with E_LOAD_TIMEOUT and releases the key', async () => {
    const hung = deferred<string>();
    const first = cache.getOrLoad('k', { hardTimeout: 200 }, () => hung.promise);
    const joiner = cache.getOrLoad('k', undefined, () => 'unused');
    const settled = Promise.allSettled([first, joiner]);
    advance(200);
    const [a, b] = await settled;
    for (const result of [a, b]) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { code: 'E_LOAD_TIMEOUT', key: 'k' },
      });
    }
    expect(cache.diagnostics().inFlightLoads).toBe(0);
    const fresh = jest.fn(() => 'v2');
    expect(await cache.getOrLoad('k', undefined, fresh)).toBe('v2');
    expect(fresh).toHaveBeenCalledTimes(1);
    expect(cache.stats().hardTimeouts).toBe(1);
  });

  it('with a stale value within grace, fail-safe serves it when the hard timeout fires', async () => {
    const options = { ttl: 1_000, grace: 60_000, timeout: 5_000, hardTimeout: 300 };
    await cache.getOrLoad('k', options, () => 'v1');
    advance(2_000);
    const call = cache.getOrLoadWithStatus('k', options, () => new Promise<string>(() => {}));
    await flushMicrotasks();
    advance(300);
    expect(await call).toEqual({ value: 'v1', status: 'failSafe' });
    expect(cache.stats()).toMatchObject({ hardTimeouts: 1, failSafeActivations: 1 });
  });

  it('a load that finishes after its hard timeout may still store its result', async () => {
    const late = deferred<string>();
    const call = cache.getOrLoad('k', { hardTimeout: 100 }, () => late.promise);
    advance(100);
    await expect(call).rejects.toMatchObject({ code: 'E_LOAD_TIMEOUT' });
    late.resolve('late');
    await flushMicrotasks();
    expect(await cache.get('k')).toBe('late');
  });

  it('a load that finishes after its hard timeout never overwrites a value stored since', async () => {
    const late = deferred<string>();
    const call = cache.getOrLoad('k', { hardTimeout: 100 }, () => late.promise);
    advance(100);
    await expect(call).rejects.toMatchObject({ code: 'E_LOAD_TIMEOUT' });
    // The next caller's fresh load stores first.
    expect(await cache.getOrLoad('k', undefined, () => 'newer')).toBe('newer');
    late.resolve('older');
    await flushMicrotasks();
    expect(await cache.get('k')).toBe('newer');
    expect(cache.stats().staleLoadDiscards).toBe(1);
  });

  it('a timed-out load whose key or tag is invalidated while it runs stores nothing', async () => {
    const byKey = deferred<string>();
    const byTag = deferred<string>();
    const a = cache.getOrLoad('a', { hardTimeout: 100 }, () => byKey.promise);
    const b = cache.getOrLoad('b', { hardTimeout: 100, tags: 't' }, () => byTag.promise);
    advance(100);
    await Promise.allSettled([a, b]);
    await cache.invalidateKey('a');
    await cache.invalidateTag('t');
    byKey.resolve('stale a');
    byTag.resolve('stale b');
    await flushMicrotasks();
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
  });

  it('sets no timer at all without a hard timeout, and clears its timer when the load settles', async () => {
    const pending = deferred<string>();
    const call = cache.getOrLoad('k', undefined, () => pending.promise);
    expect(jest.getTimerCount()).toBeLessThanOrEqual(1); // the read clock's own
    const before = jest.getTimerCount();
    const timed = cache.getOrLoad('j', { hardTimeout: 1_000 }, () => 'v');
    expect(await timed).toBe('v');
    expect(jest.getTimerCount()).toBe(before);
    pending.resolve('v');
    await call;
  });

  it('the cache default hard timeout applies to loads without their own', async () => {
    const bounded = new HydraCache({ hardTimeout: 50 });
    const call = bounded.getOrLoad('k', undefined, () => new Promise<string>(() => {}));
    advance(50);
    await expect(call).rejects.toMatchObject({ code: 'E_LOAD_TIMEOUT' });
    await bounded.close();
  });
});
