import { HydraCache } from '../../lib/index.js';
import { MAX_DETACHED } from '../../lib/core/in-flight.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { flushMicrotasks } from '../support/deferred.js';

/*
 * Loads with result tags record the tags invalidated while they run. A load that leaves the
 * in-flight map without finishing (hard timeout, flush, invalidateKey, a declared tag) must not
 * keep its record for ever: a loader that never settles would otherwise leak one record per call.
 */

const never = (): Promise<number> => new Promise<number>(() => {});
const LOADS = MAX_DETACHED + 500;

describe('tag records of loads that never settle', () => {
  let cache: HydraCache;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  /** Starts LOADS hung loads with result tags, each on its own key; their rejections are expected. */
  function startHungLoads(options: object): Promise<unknown>[] {
    return Array.from({ length: LOADS }, (_, i) =>
      cache.getOrLoad(`k${i}`, { resultTags: () => ['r'], ...options }, never).catch((e) => e),
    );
  }

  it('released by their hard timeout: at most MAX_DETACHED keep a record, none after close()', async () => {
    const calls = startHungLoads({ hardTimeout: 20 });
    advance(20);
    await flushMicrotasks();
    expect((await Promise.all(calls)).every((e) => (e as { code: string }).code)).toBe(true);
    await cache.invalidateTag('t');
    expect(cache.diagnostics().inFlightLoads).toBe(0);
    expect(cache.diagnostics().tagGenerations).toBe(MAX_DETACHED);
    await cache.close();
    expect(cache.diagnostics().tagGenerations).toBe(0);
  });

  it.each([
    ['flush', (c: HydraCache) => c.flush()],
    [
      'invalidateKey',
      async (c: HydraCache) => {
        for (let i = 0; i < LOADS; i++) await c.invalidateKey(`k${i}`);
      },
    ],
    ['a declared tag', (c: HydraCache) => c.invalidateTag('declared')],
    ['close', (c: HydraCache) => c.close()],
  ])('superseded by %s: no record left', async (_label, supersede) => {
    void startHungLoads({ tags: ['declared'] });
    await cache.invalidateTag('before');
    expect(cache.diagnostics().tagGenerations).toBe(LOADS);
    await supersede(cache);
    await cache.invalidateTag('after');
    expect(cache.diagnostics()).toMatchObject({ inFlightLoads: 0, tagGenerations: 0 });
  });
});
