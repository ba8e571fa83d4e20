import { jest } from '@jest/globals';
import { HydraCache } from '../../lib/index.js';
import { CLOCK_START, advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';

/*
 * Reads check expiry against the read clock (lib/core/read-clock.ts), which may lag Date.now() by
 * up to a millisecond. An entry just past its TTL by Date.now() but still live by that clock is
 * served as a hit; expireKey/expireTag and invalidations must then count it live too and expire
 * it, so that no read serves it as a hit afterwards. `setSystemTime` moves Date.now() without the
 * timer turn that would drop the clock's reading: the lag, made deterministic.
 */
describe('expire and invalidation agree with reads on what is live', () => {
  let cache: HydraCache;
  const options = { ttl: 100, grace: 10_000, tags: ['t'] };

  beforeEach(async () => {
    installFakeClock();
    cache = new HydraCache();
    await cache.getOrLoad('k', options, () => 'v');
    advance(99);
    expect(await cache.get('k')).toBe('v'); // the read clock holds a reading, 1 ms before expiry
    jest.setSystemTime(CLOCK_START + 100); // Date.now(): expired; the reading: still live
    expect(await cache.getOrLoadWithStatus('k', options, () => 'fresh')).toEqual({
      value: 'v',
      status: 'hit',
    });
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  it.each([
    ['expireKey', (c: HydraCache) => c.expireKey('k')],
    ['expireTag', (c: HydraCache) => c.expireTag('t')],
  ])('%s counts the entry just read as a hit and expires it', async (_label, expire) => {
    expect(await expire(cache)).toBe(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrLoadWithStatus('k', options, () => 'fresh')).toEqual({
      value: 'v',
      status: 'stale',
    });
  });

  it.each([
    ['invalidateKey', async (c: HydraCache) => Number(await c.invalidateKey('k'))],
    ['invalidateTag', (c: HydraCache) => c.invalidateTag('t')],
  ])('%s counts it as a live entry removed', async (_label, invalidate) => {
    expect(await invalidate(cache)).toBe(1);
    expect(cache.stats().invalidations).toBe(1);
    expect(await cache.get('k')).toBeUndefined();
  });
});
