import { jest } from '@jest/globals';
import { HydraCache, MemoryBusHub, type MemoryBusTransport } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';

interface Node {
  cache: HydraCache;
  transport: MemoryBusTransport;
}

describe('three caches on one bus', () => {
  let hub: MemoryBusHub;
  let nodes: Node[];

  beforeEach(() => {
    hub = new MemoryBusHub();
    nodes = Array.from({ length: 3 }, () => {
      const transport = hub.transport();
      const cache = HydraCache.local()
        .bus(transport, { onWarn: () => undefined, disconnectedTtl: 5_000 })
        .build();
      return { cache, transport };
    });
  });
  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.cache.close()));
    uninstallFakeClock();
  });

  async function putEverywhere(key: string, value: string, tags: string[] = []): Promise<void> {
    for (const { cache } of nodes) await cache.getOrLoad(key, { tags }, () => value);
  }

  async function holders(key: string): Promise<boolean[]> {
    return Promise.all(nodes.map(({ cache }) => cache.containsKey(key)));
  }

  it('an invalidated key leaves every instance', async () => {
    await putEverywhere('user:1', 'Ada');
    await nodes[0]!.cache.invalidateKey('user:1');
    expect(await holders('user:1')).toEqual([false, false, false]);
  });

  it('an invalidated tag leaves every instance, also one that never held it locally', async () => {
    await putEverywhere('user:1', 'Ada', ['users']);
    const fresh = HydraCache.local()
      .bus(hub.transport(), { onWarn: () => undefined })
      .build();
    await fresh.invalidateTags(['users']);
    expect(await holders('user:1')).toEqual([false, false, false]);
    await fresh.close();
  });

  it('a put replaces the value where it ran and drops the other copies, without echoing back', async () => {
    await putEverywhere('user:1', 'Ada');
    await nodes[1]!.cache.put('user:1', 'Grace');
    expect(await nodes[1]!.cache.get('user:1')).toBe('Grace');
    expect(await holders('user:1')).toEqual([false, true, false]);
    expect(nodes[1]!.cache.busStats()).toMatchObject({ ignoredOwn: 1, applied: 0 });
    expect(nodes[0]!.cache.busStats()).toMatchObject({ applied: 1 });
  });

  it('a flush empties every instance; close leaves the others untouched', async () => {
    await putEverywhere('a', '1');
    await nodes[2]!.cache.flush();
    expect(await holders('a')).toEqual([false, false, false]);
    await putEverywhere('b', '2');
    await nodes[2]!.cache.close();
    expect(await holders('b')).toEqual([true, true, false]);
    expect(nodes[2]!.transport.online).toBe(false);
  });

  it('a remote invalidation during a load keeps its result out of the cache (stale-load safety across instances)', async () => {
    const [a, b] = nodes as [Node, Node];
    const gate = deferred<string>();
    const loader = jest.fn(() => gate.promise);
    const waiting = b.cache.getOrLoad('user:1', { tags: ['users'] }, loader);
    await flushMicrotasks();
    await a.cache.invalidateTag('users');
    const afterMessage = b.cache.getOrLoad('user:1', { tags: ['users'] }, () => 'fresh');
    gate.resolve('old');
    expect(await waiting).toBe('old');
    expect(await afterMessage).toBe('fresh');
    expect(await b.cache.get('user:1')).toBe('fresh');
    expect(b.cache.stats().staleLoadDiscards).toBe(1);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('a remote invalidation of a result tag during a load keeps that result out too', async () => {
    const [a, b] = nodes as [Node, Node];
    const gate = deferred<{ id: number }>();
    const waiting = b.cache.getOrLoad(
      'user:1',
      { resultTags: (u) => [`user:${u.id}`] },
      () => gate.promise,
    );
    await flushMicrotasks();
    await a.cache.invalidateTag('user:1');
    gate.resolve({ id: 1 });
    expect(await waiting).toEqual({ id: 1 });
    expect(await b.cache.containsKey('user:1')).toBe(false);
  });

  it('an instance that missed messages while offline drops what it holds on reconnect', async () => {
    const [a, b] = nodes as [Node, Node];
    await putEverywhere('user:1', 'Ada', ['users']);
    b.transport.goOffline();
    await a.cache.invalidateTag('users');
    // Still served while the outage is young (bounded by disconnectedTtl, see below).
    expect(await b.cache.get('user:1')).toBe('Ada');
    b.transport.goOnline();
    expect(await b.cache.containsKey('user:1')).toBe(false);
    expect(b.cache.busStats()).toMatchObject({ gapsDetected: 1, resyncs: 1, disconnects: 1 });
  });

  it('serves local data for at most disconnectedTtl while the bus is down', async () => {
    installFakeClock();
    const [, b] = nodes as [Node, Node];
    await b.cache.put('before', 'x', { ttl: 60_000 });
    b.transport.goOffline();
    await b.cache.put('during', 'y', { ttl: 60_000 });
    advance(4_999);
    expect(await b.cache.get('before')).toBe('x');
    expect(await b.cache.get('during')).toBe('y');
    advance(1);
    expect(await b.cache.containsKey('before')).toBe(false);
    expect(await b.cache.containsKey('during')).toBe(false);
    expect(b.cache.busStats()).toMatchObject({ outageFlushes: 1 });
    await b.cache.put('later', 'z', { ttl: 60_000 });
    advance(5_000);
    expect(await b.cache.containsKey('later')).toBe(false);
  });

  it('an invalidation while this instance cannot publish settles at once and reaches the others later', async () => {
    const [a, b] = nodes as [Node, Node];
    await putEverywhere('user:1', 'Ada', ['users']);
    a.transport.goOffline();
    await expect(a.cache.invalidateTag('users')).resolves.toBe(1);
    expect(await b.cache.get('user:1')).toBe('Ada');
    expect(a.cache.busStats()).toMatchObject({ retryQueueSize: 1 });
    a.transport.goOnline();
    await flushMicrotasks();
    expect(await b.cache.containsKey('user:1')).toBe(false);
    expect(a.cache.busStats()).toMatchObject({ retryQueueSize: 0 });
  });
});

describe('the bus setting', () => {
  it('takes a transport with options in new HydraCache({ bus })', async () => {
    const hub = new MemoryBusHub();
    const a = new HydraCache({ bus: { transport: hub.transport(), publishTimeout: 50 } });
    const b = new HydraCache({ bus: hub.transport() });
    await b.put('k', 1);
    await a.invalidateKey('k');
    expect(await b.containsKey('k')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a bus that is not a transport', () => {
    expect(() => new HydraCache({ bus: 5 as never })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
    expect(() => new HydraCache({ bus: {} as never })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
  });

  it('has no bus stats without a bus', () => {
    expect(HydraCache.local().build().busStats()).toBeUndefined();
  });
});
