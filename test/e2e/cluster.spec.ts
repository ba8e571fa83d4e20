import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { HydraCache } from '@hydracache/nestjs';
import { AppModule } from '../../sample-app/app.module.js';
import { AppConfig } from '../../sample-app/config/app-config.js';
import { cacheOptionsFrom } from '../../sample-app/config/cache-options.factory.js';
import { FakeDatabase } from '../../sample-app/database/fake-database.js';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';

const available = await sharedRedisAvailable('sample app cluster (shared Redis)');

const USER_KEY = 'users:tenant:acme:user:1';

describe.each(available ? ['shared Redis'] : [])('sample app: two instances on the %s', () => {
  const apps: INestApplication[] = [];
  let namespace = '';

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    const admin = new Redis(SHARED_REDIS_URL);
    await admin.del(`${namespace}:users`, `${namespace}:tenants`);
    await admin.quit();
  });

  /** One instance of the sample app on `channel`, its rows in Redis under `namespace`. */
  async function instance(name: string, channel: string): Promise<INestApplication> {
    const config = new AppConfig(0, 60_000, 1_000, 0, SHARED_REDIS_URL, channel, namespace, name);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    // What an instance caches before it hears the bus is dropped when it joins: warm up after.
    await pollUntil(() => app.get(HydraCache).busStats()?.connected === true, `${name} on the bus`);
    return app;
  }

  it('an update through one instance makes the other reload the new value', async () => {
    const suffix = randomBytes(6).toString('hex');
    namespace = `test-sample-${suffix}`;
    const a = await instance('a', `test-cluster-${suffix}`);
    const b = await instance('b', `test-cluster-${suffix}`);
    const onB = () => request(b.getHttpServer());

    const before = await onB().get('/tenants/acme/users/1').expect(200);
    expect(before.body.name).toBe('Ada Lovelace');
    await onB().get('/tenants/acme/users/1').expect(200);
    expect(b.get(FakeDatabase).queries).toBe(1); // The second read was a hit.

    await request(a.getHttpServer())
      .patch('/tenants/acme/users/1')
      .send({ name: 'Ada King' })
      .expect(200);
    await pollUntil(
      async () => !(await b.get(HydraCache).containsKey(USER_KEY)),
      "the update's invalidation to reach b",
    );

    const after = await onB().get('/tenants/acme/users/1').expect(200);
    expect(after.body.name).toBe('Ada King');
    expect(b.get(FakeDatabase).queries).toBe(2);
    const bus = (await onB().get('/cache/stats').expect(200)).body.bus;
    expect(bus).toMatchObject({ transport: 'redis', connected: true, applied: 1, malformed: 0 });
  });

  it('shares the rows: an instance that never cached the user reads the update', async () => {
    const suffix = randomBytes(6).toString('hex');
    namespace = `test-sample-${suffix}`;
    const a = await instance('a', `test-cluster-${suffix}`);
    const b = await instance('b', `test-cluster-${suffix}`);

    await request(a.getHttpServer())
      .patch('/tenants/globex/users/2')
      .send({ email: 'alan@globex.test' })
      .expect(200);

    const read = await request(b.getHttpServer()).get('/tenants/globex/users/2').expect(200);
    expect(read.body).toMatchObject({ name: 'Alan Turing', email: 'alan@globex.test' });
  });
});

describe('sample app: cluster configuration', () => {
  it('reads REDIS_URL, REDIS_CHANNEL, DB_NAMESPACE and INSTANCE_NAME', () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6380',
      REDIS_CHANNEL: 'orders',
      DB_NAMESPACE: 'orders-db',
      INSTANCE_NAME: 'orders-1',
    };
    expect(AppConfig.fromEnv(env)).toEqual(
      new AppConfig(
        3000,
        60_000,
        1_000,
        40,
        'redis://127.0.0.1:6380',
        'orders',
        'orders-db',
        'orders-1',
      ),
    );
  });

  it('reports a bad REDIS_URL or channel with the other invalid variables', () => {
    expect(() =>
      AppConfig.fromEnv({ PORT: 'x', REDIS_URL: 'localhost:6379', REDIS_CHANNEL: 'a b' }),
    ).toThrow(
      'Invalid configuration: PORT must be an integer 0..65535 (TCP port), got "x"; ' +
        'REDIS_URL must be a redis:// URL, got "localhost:6379"; ' +
        'REDIS_CHANNEL must be 1 to 100 of letters, digits and . _ : -, got "a b".',
    );
  });

  it('leaves the cache off the bus without REDIS_URL', async () => {
    expect(await cacheOptionsFrom(AppConfig.fromEnv({}))).toEqual({
      defaultTtl: 60_000,
      maxCapacity: 1_000,
    });
  });
});
