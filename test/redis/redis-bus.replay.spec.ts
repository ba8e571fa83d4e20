import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { HydraCache } from '../../lib/index.js';
import { redisBus, type RedisBusOptions } from '../../lib/redis/index.js';
import { pollUntil } from '../support/poll.js';
import { redisServerAvailable } from '../support/redis-availability.js';
import { RedisServer } from '../support/redis-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const available = redisServerAvailable('Redis bus replay log (own redis-server)');

(available ? describe : describe.skip)('redisBus replays what a cut subscriber missed', () => {
  let server: RedisServer;
  let link: TcpProxy;
  const open: HydraCache[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    link = await TcpProxy.start(server.port);
  });
  afterEach(async () => {
    link.restore();
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    await link.close();
    await server.stop();
  });

  /** A publisher A (direct) and a receiver B (through the proxy) on a fresh channel. */
  async function pair(options: RedisBusOptions = {}): Promise<[HydraCache, HydraCache]> {
    const channel = `replay-${randomBytes(6).toString('hex')}`;
    const caches = [server.url, link.url].map((url) =>
      HydraCache.local()
        .bus(redisBus({ url, channel, maxReconnectDelay: 50, ...options }), {
          onWarn: () => undefined,
          disconnectedTtl: 60_000,
        })
        .build(),
    );
    open.push(...caches);
    await pollUntil(() => caches.every((cache) => cache.busStats()!.connected), 'both to join');
    return caches as [HydraCache, HydraCache];
  }

  /** B holds u0..u49 (unrelated) and i0..i49 (to be invalidated while B is cut off). */
  async function cutWhileInvalidating(a: HydraCache, b: HydraCache, count: number) {
    for (let i = 0; i < 50; i++) {
      await b.getOrLoad(`u${i}`, {}, () => 'kept');
      await b.getOrLoad(`i${i}`, {}, () => 'stale');
    }
    link.cut();
    await pollUntil(() => b.busStats()!.connected === false, 'B to notice the cut');
    for (let i = 0; i < count; i++) await a.invalidateKey(`i${i % 50}`);
    link.restore();
    await pollUntil(
      () => b.busStats()!.connected && b.busStats()!.disconnects === 1,
      'B to rejoin',
    );
  }

  const held = async (cache: HydraCache, prefix: string) =>
    (
      await Promise.all(Array.from({ length: 50 }, (_, i) => cache.containsKey(`${prefix}${i}`)))
    ).filter(Boolean).length;

  it.each([
    ['', {}],
    [', with a shared key', { key: randomBytes(32) }],
  ])('keeps unrelated entries and drops exactly the 50 invalidated ones%s', async (_, options) => {
    const [a, b] = await pair(options);
    const before = b.busStats()!;
    await cutWhileInvalidating(a, b, 50);
    expect(await held(b, 'i')).toBe(0);
    expect(await held(b, 'u')).toBe(50);
    expect(b.busStats()).toMatchObject({
      gapsDetected: before.gapsDetected,
      resyncs: before.resyncs,
      applied: before.applied + 50,
    });
  });

  it('drops the local cache when the gap is longer than the log keeps', async () => {
    const [a, b] = await pair({ replayLog: 10 });
    const before = b.busStats()!;
    await cutWhileInvalidating(a, b, 400); // MAXLEN ~ 10 keeps at most about 100 of them
    expect(await held(b, 'i')).toBe(0);
    expect(await held(b, 'u')).toBe(0);
    expect(b.busStats()).toMatchObject({
      gapsDetected: before.gapsDetected + 1,
      resyncs: before.resyncs + 1,
    });
  });
});
