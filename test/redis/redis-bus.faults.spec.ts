import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BusTransport } from '../../lib/core/bus/bus-transport.js';
import { redisBus, type RedisBusOptions } from '../../lib/redis/index.js';
import { wire } from '../support/bus-payloads.js';
import { RecordingListener } from '../support/recording-listener.js';
import { redisServerAvailable } from '../support/redis-availability.js';
import { freePort, RedisServer } from '../support/redis-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { pollUntil } from '../support/poll.js';

const available = redisServerAvailable('Redis bus fault tests (own redis-server)');

(available ? describe : describe.skip)('redisBus faults, on an own redis-server', () => {
  let server: RedisServer;
  const open: BusTransport[] = [];
  const stoppers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((transport) => transport.close()));
    await Promise.all(stoppers.splice(0).map((stop) => stop()));
    await server.resume();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Without the replay log (replayLog 0), so that what is missed is a gap, which these tests pin. */
  function start(options: RedisBusOptions): [BusTransport, RecordingListener] {
    const transport = redisBus({
      url: server.url,
      maxReconnectDelay: 100,
      replayLog: 0,
      ...options,
    });
    const listener = new RecordingListener();
    open.push(transport);
    transport.start(listener);
    return [transport, listener];
  }

  async function joined(options: RedisBusOptions): Promise<[BusTransport, RecordingListener]> {
    const [transport, listener] = start(options);
    await listener.waitFor('connected');
    return [transport, listener];
  }

  async function proxy(): Promise<TcpProxy> {
    const created = await TcpProxy.start(server.port);
    stoppers.push(() => created.close());
    return created;
  }

  const channel = (): string => `fault-${randomBytes(6).toString('hex')}`;

  it('reports a gap after a Redis restart, even when nothing was published', async () => {
    const shared = channel();
    const [a, onA] = await joined({ channel: shared });
    const [, onB] = await joined({ channel: shared });
    await a.publish(wire('before'));
    await onB.waitForMessage('before');
    await server.restart();
    await onB.waitFor('connected', 2);
    expect(onB.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: true },
    ]);
    // And the bus works again after the restart.
    await onA.waitFor('connected', 2);
    await a.publish(wire('after'));
    await onB.waitForMessage('after');
    expect(onB.count('gap')).toBe(0);
  });

  it('starts while Redis is down: start() returns, publish rejects fast, joins once Redis is up', async () => {
    const port = await freePort();
    const later = RedisServer.onPort(port);
    stoppers.push(() => later.stop());
    const transport = redisBus({ url: `redis://127.0.0.1:${port}`, maxReconnectDelay: 100 });
    const listener = new RecordingListener();
    open.push(transport);
    transport.start(listener); // returns at once: the test goes on synchronously

    let settled: 'resolved' | 'rejected' | undefined;
    transport.publish(wire('while-down')).then(
      () => (settled = 'resolved'),
      () => (settled = 'rejected'),
    );
    await pollUntil(
      () => settled !== undefined,
      'the publish to settle while Redis is down',
      3_000,
    );
    expect(settled).toBe('rejected');
    await listener.waitFor('warn');

    await later.resume();
    await listener.waitFor('connected');
    await transport.publish(wire('when-up'));
    await listener.waitForMessage('when-up');
    expect(listener.health).toEqual([{ kind: 'connected', gap: true }]);
    expect(listener.count('warn')).toBeLessThanOrEqual(2); // once per connection, not per retry
  });

  it('a partition (proxy cut) reports disconnected, then a gap for what was published meanwhile', async () => {
    const shared = channel();
    const link = await proxy();
    const [, onA] = await joined({ channel: shared, url: link.url });
    const [b] = await joined({ channel: shared });
    link.cut();
    await onA.waitFor('disconnected');
    await b.publish(wire('during-partition'));
    link.restore();
    await onA.waitFor('connected', 2);
    expect(onA.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: true },
    ]);
    expect(onA.texts).toEqual([]);
    await b.publish(wire('after-partition'));
    await onA.waitForMessage('after-partition');
  });

  it('a partition with nothing published meanwhile reconnects without a gap', async () => {
    const shared = channel();
    const link = await proxy();
    const [, onA] = await joined({ channel: shared, url: link.url });
    const [b] = await joined({ channel: shared });
    await b.publish(wire('before'));
    await onA.waitForMessage('before');
    link.cut();
    await onA.waitFor('disconnected');
    link.restore();
    await onA.waitFor('connected', 2);
    expect(onA.health.at(-1)).toEqual({ kind: 'connected', gap: false });
  });

  it('a silent partition (nothing comes back) is caught by the heartbeat and reported as a gap', async () => {
    const shared = channel();
    const link = await proxy();
    const silentSide = { url: link.url, heartbeatInterval: 100, commandTimeout: 300 };
    const [, onA] = await joined({ channel: shared, ...silentSide });
    const [b] = await joined({ channel: shared });
    link.pause();
    await b.publish(wire('unheard'));
    await onA.waitFor('disconnected');
    link.resume();
    await onA.waitFor('connected', 2);
    expect(onA.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: true },
    ]);
  });

  it('a slow subscriber cut by the pubsub output-buffer limit during a flood reports a gap', async () => {
    const shared = channel();
    const admin = new Redis(server.url);
    stoppers.push(async () => {
      await admin.config('SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
      admin.disconnect();
    });
    await admin.config('SET', 'client-output-buffer-limit', 'pubsub 256kb 0 0');
    const link = await proxy();
    const [, onA] = await joined({
      channel: shared,
      url: link.url,
      name: 'slow',
      heartbeatInterval: 0,
    });
    const [b] = await joined({ channel: shared });
    link.pause();
    const chunk = wire('a'.repeat(16 * 1024));
    const subGone = async () => !((await admin.client('LIST')) as string).includes(`:sub:slow `);
    for (let sent = 0; sent < 4_000 && !(await subGone()); sent += 50) {
      await Promise.all(Array.from({ length: 50 }, () => b.publish(chunk)));
    }
    expect(await subGone()).toBe(true); // Redis dropped the slow subscriber
    link.resume();
    await onA.waitFor('connected', 2);
    expect(onA.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: true },
    ]);
  });
});
