import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { HydraCache } from '../../lib/index.js';
import { redisBus } from '../../lib/redis/index.js';
import { pollUntil } from '../support/poll.js';
import { redisServerAvailable } from '../support/redis-availability.js';
import { RedisServer } from '../support/redis-server.js';

const available = redisServerAvailable('Redis bus under ACLs (own redis-server)');

/** The ACL rules docs/many-instances.md gives the application's user, for channel orders-service. */
const APP_RULES = [
  'on',
  '>app-password',
  'resetchannels',
  '&hydracache:v1:orders-service',
  'resetkeys',
  '~hydracache:v1:orders-service:state',
  '~{hydracache:v1:orders-service:state}:log',
  '-@all',
  '+@connection',
  '+client',
  '+info',
  '+evalsha',
  '+eval',
  '+exists',
  '+time',
  '+hset',
  '+hget',
  '+hincrby',
  '+hmget',
  '+del',
  '+xadd',
  '+xrange',
  '+publish',
  '+subscribe',
  '+unsubscribe',
];

(available ? describe : describe.skip)('redisBus under the documented Redis ACLs', () => {
  let server: RedisServer;
  let admin: Redis;
  const open: HydraCache[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    admin = new Redis(server.url);
    await admin.call('ACL', 'SETUSER', 'orders-app', ...APP_RULES);
    await admin.call('ACL', 'SETUSER', 'reporting', 'on', '>other', 'allchannels', '+@all');
    await admin.call('ACL', 'SETUSER', 'reporting', 'resetchannels', '&reports');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  it("runs the bus with the application user's rules alone, and keeps other users off its channel", async () => {
    const url = `redis://orders-app:app-password@127.0.0.1:${server.port}`;
    const caches = [0, 1].map(() =>
      HydraCache.local()
        .bus(redisBus({ url, channel: 'orders-service', maxReconnectDelay: 100 }), {
          onWarn: () => undefined,
        })
        .build(),
    );
    open.push(...caches);
    const [a, b] = caches as [HydraCache, HydraCache];
    await pollUntil(() => caches.every((cache) => cache.busStats()!.connected), 'both to join');
    await b.getOrLoad('k', {}, () => 'v');
    await a.invalidateKey('k');
    await pollUntil(async () => !(await b.containsKey('k')), 'the invalidation to arrive');

    const stranger = new Redis(`redis://reporting:other@127.0.0.1:${server.port}`);
    await expect(stranger.publish('hydracache:v1:orders-service', 'flush!')).rejects.toThrow(
      /NOPERM/,
    );
    await expect(stranger.hincrby('hydracache:v1:orders-service:state', 'seq', 1)).rejects.toThrow(
      /NOPERM/,
    );
    stranger.disconnect();
  });
});
