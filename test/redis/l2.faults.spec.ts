import diagnostics from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CACHE_CHANNELS, type HydraCache } from '../../lib/index.js';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { redisServerAvailable } from '../support/redis-availability.js';
import { RedisServer } from '../support/redis-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { closeAll, counted, l2Cache, rawClient, uniquePrefix } from './support/l2-caches.js';
import { freezeRedis } from './support/redis-process.js';
import { APPLIED } from '../../lib/redis/l2-scripts.js';

const available = redisServerAvailable('Redis second tier faults');

let server: RedisServer;

beforeAll(async () => {
  if (available) server = await RedisServer.start();
});
afterEach(closeAll);
afterAll(async () => {
  await server?.stop();
});

/** Starts a load on `cache` whose loader waits for the returned gate. */
function gatedLoad(cache: HydraCache, key: string, tags: string[]) {
  const gate = deferred<string>();
  const started = deferred<void>();
  const done = cache.getOrLoad(key, { tags }, () => {
    started.resolve();
    return gate.promise;
  });
  return { gate, started: started.promise, done };
}

(available ? describe : describe.skip)('a Redis second tier when Redis loses keys or fails', () => {
  const pair = async (settings = {}): Promise<[HydraCache, HydraCache, string]> => {
    const prefix = uniquePrefix();
    return [
      await l2Cache({ prefix, url: server.url }, settings),
      await l2Cache({ prefix, url: server.url }, settings),
      prefix,
    ];
  };

  it.each([['t:users'], ['k:user:1'], ['g']])(
    'DEL of the version key %s: the entry filled under it is never served again',
    async (suffix) => {
      const [a, b, prefix] = await pair();
      await a.getOrLoad('user:1', { tags: ['users'] }, () => 'old');
      await rawClient(server.url).del(`{${prefix}}:${suffix}`);
      expect(await b.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
      expect(b.l2Stats()).toMatchObject({ hits: 0, misses: 1 });
    },
  );

  it.each([['t:users'], ['k:user:1'], ['g']])(
    'DEL of %s during a load, recreated by another lookup: the load fills nothing',
    async (suffix) => {
      const [a, b, prefix] = await pair();
      const load = gatedLoad(b, 'user:1', ['users']);
      await load.started;
      await rawClient(server.url).del(`{${prefix}}:${suffix}`);
      // Another instance's lookup recreates the version (a fresh incarnation, counter 0 again).
      await a.getOrLoad('user:1', { tags: ['users'] }, () => 'a');
      await a.invalidateKey('user:1'); // so that only B's fill could put a value there
      load.gate.resolve('old');
      await load.done;
      expect(b.l2Stats()?.refusedFills).toBe(1);
    },
  );

  it('FLUSHALL during a load: its fill is refused and nothing old comes back', async () => {
    const [a, b] = await pair();
    await a.getOrLoad('user:1', { tags: ['users'] }, () => 'old');
    const load = gatedLoad(b, 'user:2', ['users']);
    await load.started;
    await rawClient(server.url).flushall();
    load.gate.resolve('old 2');
    await load.done;
    expect(b.l2Stats()?.refusedFills).toBe(1);
    const c = await l2Cache({ prefix: (await pair())[2], url: server.url });
    expect(await c.getOrLoad('user:2', {}, () => 'new')).toBe('new');
  });

  it('a Redis restart: calls keep settling while it is down, and the tier is used again after', async () => {
    const [a, b] = await pair();
    await a.getOrLoad('k', {}, () => 'before');
    await server.stop();
    expect(await b.getOrLoad('k', {}, () => 'down')).toBe('down'); // L1 + loader
    await server.resume();
    await pollUntil(
      async () =>
        (await b.getOrLoad(`probe:${Math.random()}`, {}, () => 1)) === 1 &&
        (b.l2Stats()?.fills ?? 0) > 0,
      'B to fill the tier again',
    );
    await b.invalidateKey('k');
    expect(await a.getOrLoad('k2', {}, () => 'fresh')).toBe('fresh');
    expect(b.l2Stats()?.errors).toBeGreaterThan(0);
  });

  it('Redis frozen (SIGSTOP): loads, puts and invalidations settle within the timeout; the invalidation is replayed after', async () => {
    const prefix = uniquePrefix();
    const a = await l2Cache({ prefix, url: server.url, timeout: 50 });
    const b = await l2Cache({ prefix, url: server.url, timeout: 50 });
    await a.getOrLoad('user:1', { tags: ['users'] }, () => 'old');
    const thaw = freezeRedis(server.port);
    try {
      expect(await a.getOrLoad('other', {}, () => 'loaded')).toBe('loaded');
      await a.put('p', 'v');
      await a.invalidateTag('users');
      expect(a.l2Stats()).toMatchObject({ trusted: false });
      expect(a.l2Stats()?.timeouts).toBeGreaterThan(0);
      // Untrusted: A neither reads nor fills the tier meanwhile.
      const calls = a.l2Stats()!.calls;
      expect(await a.getOrLoad('user:1', { tags: ['users'] }, () => 'A')).toBe('A');
      expect(a.l2Stats()!.calls).toBe(calls);
    } finally {
      thaw();
    }
    await pollUntil(() => a.l2Stats()!.trusted, 'A to replay its invalidations');
    expect(await b.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
  });

  it('an invalidation while this instance is cut off from Redis is replayed when it is back', async () => {
    const proxy = await TcpProxy.start(server.port);
    try {
      const prefix = uniquePrefix();
      const a = await l2Cache({ prefix, url: proxy.url });
      const b = await l2Cache({ prefix, url: server.url });
      await a.getOrLoad('user:1', { tags: ['users'] }, () => 'old');
      proxy.cut();
      await a.invalidateTag('users');
      await a.invalidateKey('user:9');
      expect(a.l2Stats()).toMatchObject({ trusted: false, pendingInvalidations: 2 });
      proxy.restore();
      await pollUntil(() => a.l2Stats()!.trusted, 'A to replay its invalidations');
      expect(await b.getOrLoad('user:1', { tags: ['users'] }, () => 'new')).toBe('new');
      expect(a.l2Stats()?.pendingInvalidations).toBe(0);
    } finally {
      await closeAll();
      await proxy.close();
    }
  });

  it('closing with invalidations the tier never received says so: an event and a warning', async () => {
    const proxy = await TcpProxy.start(server.port);
    const events: string[] = [];
    const listen = (message: unknown): void => {
      events.push((message as { event: string }).event);
    };
    diagnostics.subscribe(CACHE_CHANNELS.l2, listen);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const a = await l2Cache({ prefix: uniquePrefix(), url: proxy.url }, { name: 'cut-off' });
      proxy.cut();
      await a.invalidateTag('users');
      await a.close();
      expect(events).toContain('abandoned');
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/"cut-off" closed with 1 invalidation/),
      );
    } finally {
      warn.mockRestore();
      diagnostics.unsubscribe(CACHE_CHANNELS.l2, listen);
      await closeAll();
      await proxy.close();
    }
  });

  it('10 000 L1 hits issue no Redis command (INFO commandstats)', async () => {
    const [a] = await pair();
    const loader = counted('v');
    await a.getOrLoad('hot', { tags: ['t'] }, loader.loader);
    const redis = rawClient(server.url);
    const before = await commandCount(redis);
    for (let i = 0; i < 10_000; i++) await a.getOrLoad('hot', { tags: ['t'] }, loader.loader);
    const after = await commandCount(redis);
    expect(after - before).toBe(1); // the first INFO itself
    expect(loader.calls()).toBe(1);
  });

  it('a second-tier hit is one plain MGET: no script runs on the server', async () => {
    const [a, b] = await pair();
    await a.getOrLoad('user:1', { tags: ['users'] }, () => 'Ada');
    // B reads Redis's clock once (in the background after connecting) before an MGET can settle a hit.
    await b.getOrLoad('warm', {}, () => 'w');
    const redis = rawClient(server.url);
    const before = await commandCounts(redis);
    const loader = counted('other');
    expect(await b.getOrLoad('user:1', { tags: ['users'] }, loader.loader)).toBe('Ada');
    expect(grown(before, await commandCounts(redis))).toEqual({ mget: 1, info: 1 });
    expect(loader.calls()).toBe(0);
  });

  it('an entry left in an older layout is a miss, replaced by the next fill', async () => {
    const [a, b, prefix] = await pair();
    const redis = rawClient(server.url);
    await a.getOrLoad('seen', {}, () => 'creates the versions');
    await redis.hset(`{${prefix}}:e:old`, 'd', 'x', 'g', 'y');
    expect(await a.getOrLoad('old', {}, () => 'loaded')).toBe('loaded');
    expect(await b.getOrLoad('old', {}, () => 'B')).toBe('loaded');
    expect(a.l2Stats()).toMatchObject({ errors: 0, fills: 2 });
  });
});

describe('applied log positions in the tier', () => {
  it('keep the 64 highest members, and a member never moves back', async () => {
    if (!available) return;
    const redis = rawClient(server.url);
    const key = `{${uniquePrefix()}}:a:stream`;
    for (let i = 1; i <= 100; i++)
      await redis.eval(APPLIED, 1, key, `instance-${i}`, i * 10, 60_000);
    await redis.eval(APPLIED, 1, key, 'instance-100', 5, 60_000);
    expect(await redis.zcard(key)).toBe(64);
    expect(await redis.zrange(key, 0, 0, 'WITHSCORES')).toEqual(['instance-37', '370']);
    expect(await redis.zscore(key, 'instance-100')).toBe('1000');
  });
});

describe('how long a second-tier hit lives in this instance', () => {
  it('as long as the entry has left by the Redis server’s clock, whatever this node’s clock says', async () => {
    if (!available) return;
    const prefix = uniquePrefix();
    const a = await l2Cache({ prefix, url: server.url });
    const b = await l2Cache({ prefix, url: server.url });
    const realNow = Date.now;
    try {
      Date.now = () => realNow() - 600_000; // A: 10 minutes behind
      await a.getOrLoad('k', { ttl: 60_000 }, () => 'v');
      Date.now = () => realNow() + 600_000; // B: 10 minutes ahead
      const loader = counted('B');
      expect(await b.getOrLoad('k', {}, loader.loader)).toBe('v');
      expect(loader.calls()).toBe(0);
      const left = b.expiresAt('k')! - Date.now();
      expect(left).toBeGreaterThan(55_000);
      // Redis's clock is known to within a round trip (well under 100 ms on loopback).
      expect(left).toBeLessThanOrEqual(60_100);
    } finally {
      Date.now = realNow;
    }
  });
});

/** Commands the server has run in total, from INFO commandstats. */
async function commandCount(redis: ReturnType<typeof rawClient>): Promise<number> {
  return Object.values(await commandCounts(redis)).reduce((a, b) => a + b, 0);
}

/** Calls per command the server has run, from INFO commandstats. */
async function commandCounts(redis: ReturnType<typeof rawClient>): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g))
    counts[match[1]!] = Number(match[2]);
  return counts;
}

/** How many more calls of each command `after` counts than `before` (only those that grew). */
function grown(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after)) {
    if (calls > (before[name] ?? 0)) out[name] = calls - (before[name] ?? 0);
  }
  return out;
}
