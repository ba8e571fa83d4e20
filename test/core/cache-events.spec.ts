import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import {
  CACHE_CHANNELS,
  HydraCache,
  keyNamespace,
  MemoryBusHub,
  type LoadEvent,
} from '../../lib/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';

type Recorded = [channel: string, message: Record<string, unknown>];

/** Records every event of the plain channels for caches named `name`, until `stop()`. */
function record(name: string): { events: Recorded[]; stop(): void } {
  const events: Recorded[] = [];
  const handlers = Object.entries(CACHE_CHANNELS)
    .filter(([, channel]) => channel !== CACHE_CHANNELS.load)
    .map(([, channel]) => {
      const handler = (message: unknown): void => {
        const m = message as Record<string, unknown>;
        if (m.cache === name) events.push([channel, m]);
      };
      subscribe(channel, handler);
      return [channel, handler] as const;
    });
  return {
    events,
    stop: () => handlers.forEach(([channel, handler]) => unsubscribe(channel, handler)),
  };
}

describe('events on diagnostics channels', () => {
  let recorder: ReturnType<typeof record>;
  afterEach(() => recorder.stop());

  it('reports hits, misses, joins and evictions with the cache name and namespace, in order', async () => {
    recorder = record('events-a');
    const cache = new HydraCache({ name: 'events-a', maxCapacity: 1 });
    const load = deferred<string>();
    const first = cache.getOrLoad('user:1', {}, () => load.promise);
    const second = cache.getOrLoad('user:1', {}, () => 'never');
    load.resolve('Ada');
    await Promise.all([first, second]);
    await cache.getOrLoad('user:1', {}, () => 'never');
    await cache.get('plain');
    await cache.put('order:9', 1); // evicts user:1 (capacity 1)

    expect(recorder.events.map(([channel]) => channel)).toEqual([
      'hydracache:miss',
      'hydracache:miss', // the joiner missed too
      'hydracache:join',
      'hydracache:hit',
      'hydracache:miss',
      'hydracache:eviction',
    ]);
    expect(recorder.events[0]![1]).toEqual({ cache: 'events-a', namespace: 'user', key: 'user:1' });
    expect(recorder.events[4]![1]).toEqual({
      cache: 'events-a',
      namespace: undefined,
      key: 'plain',
    });
    expect(recorder.events[5]![1]).toMatchObject({ key: 'user:1' });
  });

  it('reports a load overtaken by an invalidation as a stale discard, and the invalidation', async () => {
    recorder = record('events-b');
    const cache = new HydraCache({ name: 'events-b' });
    const load = deferred<string>();
    const loading = cache.getOrLoad('user:2', { tags: ['users'] }, () => load.promise);
    expect(await cache.invalidateTag('users')).toBe(0);
    load.resolve('stale');
    await loading;

    const [, invalidation] = recorder.events.find(([c]) => c === 'hydracache:invalidation')!;
    expect(invalidation).toEqual({
      cache: 'events-b',
      kind: 'tags',
      origin: 'local',
      count: 1,
      removed: 0,
    });
    expect(recorder.events.filter(([c]) => c === 'hydracache:stale-discard')).toEqual([
      ['hydracache:stale-discard', { cache: 'events-b', namespace: 'user', key: 'user:2' }],
    ]);
  });

  it('runs the loader inside the load tracing channel: start, then asyncEnd with the result or error', async () => {
    const seen: string[] = [];
    const handlers = {
      end: () => undefined,
      asyncStart: () => undefined,
      start: (m: LoadEvent) => seen.push(`start ${m.cache} ${m.namespace} ${m.key}`),
      asyncEnd: (m: LoadEvent) => seen.push(`asyncEnd ${String(m.result)} ${String(m.error)}`),
      error: (m: LoadEvent) => seen.push(`error ${(m.error as Error).message}`),
    };
    const channel = tracingChannel<unknown, LoadEvent>(CACHE_CHANNELS.load);
    channel.subscribe(handlers);
    try {
      const cache = new HydraCache({ name: 'events-c' });
      await cache.getOrLoad('user:3', {}, () => 'Ada');
      await expect(
        cache.getOrLoad('user:4', {}, () => {
          throw new Error('db down');
        }),
      ).rejects.toThrow('db down');
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(seen).toEqual([
      'start events-c user user:3',
      'asyncEnd Ada undefined',
      'start events-c user user:4',
      'error db down',
      'asyncEnd undefined Error: db down',
    ]);
  });

  it('keeps a loader synchronous in its caller: a re-entrant load is still refused while traced', async () => {
    const ignore = (): void => undefined;
    const handlers = {
      start: ignore,
      end: ignore,
      asyncStart: ignore,
      asyncEnd: ignore,
      error: ignore,
    };
    const channel = tracingChannel(CACHE_CHANNELS.load);
    channel.subscribe(handlers);
    try {
      const cache = new HydraCache({ name: 'events-d' });
      await expect(
        cache.getOrLoad('k', {}, () => cache.getOrLoad('k', {}, () => 1)),
      ).rejects.toMatchObject({ code: 'E_REENTRANT_LOAD' });
    } finally {
      channel.unsubscribe(handlers);
    }
  });

  it('reports remote invalidations and bus state: connect, disconnect, gap, resync, publish failure', async () => {
    recorder = record('events-e');
    const hub = new MemoryBusHub();
    const here = hub.transport();
    const there = hub.transport();
    const cache = new HydraCache({
      name: 'events-e',
      bus: { transport: here, onWarn: () => undefined },
    });
    const other = new HydraCache({ name: 'events-other', bus: there });
    try {
      await cache.put('user:5', 'Ada');
      await other.invalidateKey('user:5');
      here.failPublishes(1);
      await cache.invalidateKey('user:6');
      await cache.put('order:1', 1); // something a resync drops
      here.goOffline();
      await other.invalidateKey('user:7'); // missed while offline
      here.goOnline();
      await flushMicrotasks();

      const bus = recorder.events.filter(([c]) => c === 'hydracache:bus').map(([, m]) => m.event);
      expect(bus).toEqual(
        expect.arrayContaining(['publish-failure', 'disconnected', 'connected', 'gap', 'resync']),
      );
      expect(recorder.events.find(([c]) => c === 'hydracache:bus')![1]).toMatchObject({
        transport: 'memory',
      });
      const remote = recorder.events
        .filter(([c, m]) => c === 'hydracache:invalidation' && m.origin === 'remote')
        .map(([, m]) => [m.kind, m.removed]);
      expect(remote).toContainEqual(['keys', 1]);
    } finally {
      await cache.close();
      await other.close();
    }
  });

  it('takes the first segment as the namespace, and none for a key without one', () => {
    expect(keyNamespace('users:user:42')).toBe('users');
    expect(keyNamespace('user:4%3A2')).toBe('user');
    expect(keyNamespace('plain')).toBeUndefined();
  });

  it('refuses an empty cache name with E_INVALID_OPTION', () => {
    expect(() => new HydraCache({ name: '' })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
    expect(() => HydraCache.local().name(7 as unknown as string)).toThrow(/name/);
  });
});
