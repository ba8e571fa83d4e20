import { HydraCache } from '../../lib/index.js';
import { HydraCacheInstrumentation } from '../../lib/otel/index.js';
import { deferred } from '../support/deferred.js';
import { otelHarness, type OtelHarness, type Point } from '../support/otel-sdk.js';

/** The data points of `name`, as [attributes, value] pairs. */
async function points(harness: OtelHarness, name: string): Promise<Point[]> {
  return (await harness.collect()).get(name)?.points ?? [];
}

describe('OpenTelemetry metrics after a scripted workload', () => {
  let harness: OtelHarness;
  let instrumentation: HydraCacheInstrumentation;
  beforeEach(() => {
    harness = otelHarness();
  });
  afterEach(async () => {
    instrumentation.disable();
    await harness.shutdown();
  });

  /** Hits, misses, joins, a failed load, a stale load, an eviction and two invalidations. */
  async function workload(cache: HydraCache): Promise<void> {
    const load = deferred<string>();
    const callers = [1, 2, 3].map(() => cache.getOrLoad('user:1', {}, () => load.promise));
    load.resolve('Ada');
    await Promise.all(callers); // 3 misses, 1 load, 2 joins
    for (let i = 0; i < 3; i++) await cache.getOrLoad('user:1', {}, () => 'never'); // 3 hits
    await cache.get('order:1'); // a miss in namespace order
    await cache.get('plain'); // a miss without namespace
    await expect(
      cache.getOrLoad('user:2', {}, () => Promise.reject(new Error('db down'))),
    ).rejects.toThrow('db down'); // a miss and a failed load
    const stale = deferred<string>();
    const staleLoad = cache.getOrLoad('user:3', { tags: ['users'] }, () => stale.promise);
    await cache.invalidateTag('users'); // overtakes the load: a stale discard
    stale.resolve('old');
    await staleLoad;
    await cache.put('a:1', 1);
    await cache.put('a:2', 2); // capacity 2: evicts user:1
    await cache.invalidateKey('a:1'); // removes one live entry
  }

  it('records reads by result and namespace, loads with their outcome, joins, discards, evictions and invalidations', async () => {
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
      tracing: false,
    }).enable();
    const cache = new HydraCache({ name: 'shop', maxCapacity: 2 });
    instrumentation.observe(cache);
    await workload(cache);
    const metrics = await harness.collect();

    const base = { 'cache.name': 'shop', 'cache.tier': 'memory' };
    expect(metrics.get('hydracache.cache.gets')).toEqual({
      unit: '{request}',
      type: 'SUM',
      points: expect.arrayContaining([
        { attributes: { ...base, 'cache.namespace': 'user', 'cache.result': 'hit' }, value: 3 },
        { attributes: { ...base, 'cache.namespace': 'user', 'cache.result': 'miss' }, value: 5 },
        { attributes: { ...base, 'cache.namespace': 'order', 'cache.result': 'miss' }, value: 1 },
        { attributes: { ...base, 'cache.result': 'miss' }, value: 1 },
      ]),
    });
    expect(metrics.get('hydracache.cache.gets')!.points).toHaveLength(4);

    const user = { 'cache.name': 'shop', 'cache.namespace': 'user' };
    const durations = metrics.get('hydracache.cache.load.duration')!;
    expect(durations).toMatchObject({ unit: 's', type: 'HISTOGRAM' });
    expect(durations.points).toEqual(
      expect.arrayContaining([
        {
          attributes: { ...user, 'cache.load.outcome': 'success' },
          value: { count: 2, sum: expect.any(Number) },
        },
        {
          attributes: { ...user, 'cache.load.outcome': 'error' },
          value: { count: 1, sum: expect.any(Number) },
        },
      ]),
    );
    expect(metrics.get('hydracache.cache.load.joins')!.points).toEqual([
      { attributes: user, value: 2 },
    ]);
    expect(metrics.get('hydracache.cache.load.stale_discards')!.points).toEqual([
      { attributes: user, value: 1 },
    ]);
    expect(metrics.get('hydracache.cache.evictions')!.points).toEqual([
      { attributes: user, value: 1 },
    ]);
    const local = (kind: string) => ({
      'cache.name': 'shop',
      'cache.invalidation.kind': kind,
      'cache.invalidation.origin': 'local',
    });
    expect(metrics.get('hydracache.cache.invalidations')!.points).toEqual(
      expect.arrayContaining([
        { attributes: local('tags'), value: 1 },
        { attributes: local('keys'), value: 1 },
      ]),
    );
    expect(metrics.get('hydracache.cache.invalidated_entries')!.points).toEqual([
      { attributes: local('keys'), value: 1 },
    ]);
    expect(metrics.get('hydracache.cache.size')!.points).toEqual([
      { attributes: { 'cache.name': 'shop' }, value: 1 },
    ]);
    expect(metrics.get('hydracache.cache.capacity')!.points).toEqual([
      { attributes: { 'cache.name': 'shop' }, value: 2 },
    ]);
    // The counters agree with the cache's own stats.
    expect(cache.stats()).toMatchObject({ hits: 3, misses: 7, singleFlightJoins: 2 });
  });

  it('puts a sanitized key on metrics only when asked, and can leave the namespace off', async () => {
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
      tracing: false,
      namespaceAttribute: false,
      keyAttribute: (key) => key.replace(/\d+/g, '{id}'),
    }).enable();
    const cache = new HydraCache({ name: 'keyed' });
    await cache.get('user:1');
    await cache.get('user:2');
    expect(await points(harness, 'hydracache.cache.gets')).toEqual([
      {
        attributes: {
          'cache.name': 'keyed',
          'cache.key': 'user:{id}',
          'cache.result': 'miss',
          'cache.tier': 'memory',
        },
        value: 2,
      },
    ]);
  });

  it('keeps at most 900 attribute sets per counter and result, counting the rest as overflow', async () => {
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
      tracing: false,
    }).enable();
    const cache = new HydraCache({ name: 'wide' });
    for (let i = 0; i < 905; i++) await cache.get(`ns${i}:k`);
    const gets = await points(harness, 'hydracache.cache.gets');
    expect(gets).toHaveLength(901);
    expect(gets).toContainEqual({ attributes: { 'otel.metric.overflow': true }, value: 5 });
  });

  it('records answers served stale within grace, and fail-safe ones, as cache.result stale', async () => {
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
      tracing: false,
    }).enable();
    const cache = new HydraCache({ name: 'resilient', grace: 60_000 });
    await cache.getOrLoad('user:1', {}, () => 'v1');
    await cache.expireKey('user:1');
    // Stale-while-revalidate: the stale value now, one refresh in the background.
    expect(await cache.getOrLoad('user:1', {}, () => 'v2')).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve)); // the background refresh has stored v2
    expect(cache.stats()).toMatchObject({ backgroundRefreshes: 1, loads: 2 });
    await cache.expireKey('user:1');
    // Fail-safe: the loader fails, the stale value stands in.
    const failing = cache.getOrLoadWithStatus('user:1', { timeout: 50 }, () => {
      throw new Error('database down');
    });
    expect(await failing).toEqual({ value: 'v2', status: 'failSafe' });
    const gets = await points(harness, 'hydracache.cache.gets');
    const base = { 'cache.name': 'resilient', 'cache.tier': 'memory', 'cache.namespace': 'user' };
    expect(gets).toEqual(
      expect.arrayContaining([
        { attributes: { ...base, 'cache.result': 'miss' }, value: 1 },
        { attributes: { ...base, 'cache.result': 'stale' }, value: 2 },
      ]),
    );
    expect(cache.stats().staleHits).toBe(2);
  });

  it('records only the caches named in cacheNames', async () => {
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
      cacheNames: ['wanted'],
    }).enable();
    await new HydraCache({ name: 'wanted' }).get('k');
    await new HydraCache({ name: 'other' }).get('k');
    const gets = await points(harness, 'hydracache.cache.gets');
    expect(gets.map((p) => p.attributes['cache.name'])).toEqual(['wanted']);
  });

  it('stops recording when disabled and keeps the totals it had', async () => {
    instrumentation = new HydraCacheInstrumentation({ meterProvider: harness.meterProvider });
    const cache = new HydraCache({ name: 'toggled' });
    await cache.get('k'); // before enable: not recorded
    instrumentation.enable();
    instrumentation.enable(); // twice: still one subscription
    await cache.get('k');
    instrumentation.disable();
    await cache.get('k');
    expect((await points(harness, 'hydracache.cache.gets')).map((p) => p.value)).toEqual([1]);
    expect(instrumentation.enabled).toBe(false);
  });

  it('counts bus events and remote invalidations', async () => {
    const { MemoryBusHub } = await import('../../lib/index.js');
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
    }).enable();
    const hub = new MemoryBusHub();
    const here = hub.transport();
    const cache = new HydraCache({ name: 'bussed', bus: { transport: here, onWarn: () => {} } });
    const other = new HydraCache({ name: 'peer', bus: hub.transport() });
    try {
      await cache.put('user:1', 1);
      await other.invalidateKey('user:1');
      here.goOffline();
      const metrics = await harness.collect();
      expect(metrics.get('hydracache.bus.events')!.points).toEqual(
        expect.arrayContaining([
          {
            attributes: {
              'cache.name': 'bussed',
              'bus.transport': 'memory',
              'bus.event': 'connected',
            },
            value: 1,
          },
          {
            attributes: {
              'cache.name': 'bussed',
              'bus.transport': 'memory',
              'bus.event': 'disconnected',
            },
            value: 1,
          },
        ]),
      );
      expect(metrics.get('hydracache.cache.invalidated_entries')!.points).toContainEqual({
        attributes: {
          'cache.name': 'bussed',
          'cache.invalidation.kind': 'keys',
          'cache.invalidation.origin': 'remote',
        },
        value: 1,
      });
    } finally {
      await cache.close();
      await other.close();
    }
  });

  it('refuses bad options with E_INVALID_OPTION naming the field', () => {
    instrumentation = new HydraCacheInstrumentation({ metrics: false, tracing: false });
    for (const [options, field] of [
      [{ metrics: 'yes' }, 'metrics'],
      [{ keyAttribute: true }, 'keyAttribute'],
      [{ cacheNames: 'a' }, 'cacheNames'],
      [{ meterProvider: {} }, 'meterProvider'],
      [{ tracer: {} }, 'tracer'],
    ] as const) {
      expect(() => new HydraCacheInstrumentation(options as never)).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^E_(INVALID|UNKNOWN)_OPTION$/) }),
      );
      expect(() => new HydraCacheInstrumentation(options as never)).toThrow(field);
    }
  });
});
