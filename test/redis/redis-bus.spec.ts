import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BusTransport } from '../../lib/core/bus/bus-transport.js';
import { redisBus, type RedisBusOptions } from '../../lib/redis/index.js';
import { defineScripts } from '../../lib/redis/redis-scripts.js';
import { wire } from '../support/bus-payloads.js';
import { RecordingListener } from '../support/recording-listener.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { pollUntil } from '../support/poll.js';

const available = await sharedRedisAvailable('Redis bus tests (shared Redis)');

(available ? describe : describe.skip)('redisBus on the shared Redis', () => {
  let admin: Redis;
  const open: BusTransport[] = [];

  beforeAll(() => {
    admin = new Redis(SHARED_REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((transport) => transport.close()));
  });
  afterAll(async () => {
    await admin.quit();
  });

  function uniqueChannel(): string {
    return `test-${randomBytes(6).toString('hex')}`;
  }

  /** Starts a transport and waits until its first `connected`. */
  async function joined(options: RedisBusOptions): Promise<[BusTransport, RecordingListener]> {
    const url = options.client ? {} : { url: SHARED_REDIS_URL };
    const transport = redisBus({ ...url, maxReconnectDelay: 100, ...options });
    const listener = new RecordingListener();
    open.push(transport);
    transport.start(listener);
    await listener.waitFor('connected');
    return [transport, listener];
  }

  async function clientId(connectionName: string): Promise<string> {
    const list = (await admin.client('LIST')) as string;
    const line = list.split('\n').find((entry) => entry.includes(` name=${connectionName} `));
    if (!line) throw new Error(`no client named ${connectionName}`);
    return /id=(\d+)/.exec(line)![1]!;
  }

  it('moves payloads between two transports, to the sender too, in order and byte for byte', async () => {
    const channel = uniqueChannel();
    const [a, onA] = await joined({ channel });
    const [b, onB] = await joined({ channel });
    await a.publish(wire('one'));
    await b.publish(wire('two'));
    const third = '\u0000\u00ff\r\n';
    await a.publish(wire(third));
    await onA.waitForMessage(third);
    await onB.waitForMessage(third);
    expect(onA.texts).toEqual(['one', 'two', third]);
    expect(onB.texts).toEqual(['one', 'two', third]);
    expect(onA.health).toEqual([{ kind: 'connected', gap: true }]);
  });

  it('keeps channels apart', async () => {
    const [a, onA] = await joined({ channel: uniqueChannel() });
    const [, onB] = await joined({ channel: uniqueChannel() });
    await a.publish(wire('only-a'));
    await onA.waitForMessage('only-a');
    await a.publish(wire('again-a'));
    await onA.waitForMessage('again-a');
    expect(onB.texts).toEqual([]);
  });

  it('names both connections hydracache:<channel>:sub|pub:<name> in CLIENT LIST', async () => {
    const channel = uniqueChannel();
    await joined({ channel, name: 'orders-1' });
    const list = (await admin.client('LIST')) as string;
    expect(list).toContain(` name=hydracache:${channel}:sub:orders-1 `);
    expect(list).toContain(` name=hydracache:${channel}:pub:orders-1 `);
  });

  it('warns about garbage on the channel and goes on without a gap', async () => {
    const channel = uniqueChannel();
    const [a, onA] = await joined({ channel });
    await admin.publish(`hydracache:v1:${channel}`, 'not a frame');
    await admin.publish(`hydracache:v1:${channel}`, Buffer.from('HC\x00\x01'));
    await a.publish(wire('after'));
    await onA.waitForMessage('after');
    expect(onA.texts).toEqual(['after']);
    expect(onA.health).toEqual([{ kind: 'connected', gap: true }]);
    expect(onA.events.find((event) => event.kind === 'warn')).toEqual({
      kind: 'warn',
      message: expect.stringContaining('malformed frame'),
    });
  });

  it('reconnects without a gap when nothing was published while the subscriber was away', async () => {
    const channel = uniqueChannel();
    const [a, onA] = await joined({ channel, name: 'quiet' });
    await a.publish(wire('before'));
    await onA.waitForMessage('before');
    await admin.client('KILL', 'ID', await clientId(`hydracache:${channel}:sub:quiet`));
    await onA.waitFor('connected', 2);
    expect(onA.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: false },
    ]);
  });

  /** Kills A's subscriber and publishes `text` in one transaction, so A surely misses it. */
  async function killAndPublish(channel: string, victim: string, text: string, logLength: string) {
    const subId = await clientId(`hydracache:${channel}:sub:${victim}`);
    const scripted = defineScripts(admin);
    const publish = scripted.multi().client('KILL', 'ID', subId) as unknown as {
      hydracachePublish(...args: [string, string, string, Buffer, string]): {
        exec(): Promise<unknown>;
      };
    };
    await publish
      .hydracachePublish(
        `hydracache:v1:${channel}:state`,
        `{hydracache:v1:${channel}:state}:log`,
        `hydracache:v1:${channel}`,
        Buffer.from(wire(text)),
        logLength,
      )
      .exec();
  }

  it('reports a gap when a message is published while its subscriber is killed (no replay log)', async () => {
    const channel = uniqueChannel();
    const [, onA] = await joined({ channel, name: 'victim' });
    await joined({ channel, name: 'other' });
    await killAndPublish(channel, 'victim', 'missed', '0');
    await onA.waitFor('connected', 2);
    expect(onA.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: true },
    ]);
    expect(onA.texts).toEqual([]);
  });

  it('replays from the log what was published while its subscriber was killed: no gap', async () => {
    const channel = uniqueChannel();
    const [, onA] = await joined({ channel, name: 'victim' });
    await killAndPublish(channel, 'victim', 'missed', '1000');
    await onA.waitFor('connected', 2);
    expect(onA.health).toEqual([
      { kind: 'connected', gap: true },
      { kind: 'disconnected' },
      { kind: 'connected', gap: false },
    ]);
    expect(onA.texts).toEqual(['missed']);
  });

  it('close() releases both connections; a later publish rejects', async () => {
    const channel = uniqueChannel();
    const [a] = await joined({ channel, name: 'closing' });
    await a.close();
    await a.close();
    await pollUntil(
      async () => !((await admin.client('LIST')) as string).includes(`hydracache:${channel}:`),
      'the connections to leave CLIENT LIST',
    );
    await expect(a.publish(wire('late'))).rejects.toThrow('closed');
  });

  it('uses a given client by duplicating it, and leaves that client alone', async () => {
    const channel = uniqueChannel();
    const client = new Redis(SHARED_REDIS_URL, { connectionName: 'app-client', lazyConnect: true });
    const [a, onA] = await joined({ client, channel, name: 'dup' });
    await a.publish(wire('via-duplicate'));
    await onA.waitForMessage('via-duplicate');
    const list = (await admin.client('LIST')) as string;
    expect(list).toContain(` name=hydracache:${channel}:pub:dup `);
    await a.close();
    expect(client.status).toBe('wait');
    client.disconnect();
  });
});
