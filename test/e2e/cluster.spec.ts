import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HydraCache } from '@hydracache/nestjs';
import { AppModule } from '../../sample-app/app.module.js';
import { AppConfig } from '../../sample-app/config/app-config.js';
import { QueryGate } from '../../sample-app/database/query-gate.js';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { runSql, sampleSchema, type SampleSettings } from '../support/sample-database.js';

const redis = await sharedRedisAvailable('sample app cluster (shared Redis)');

const USER_KEY = 'users:tenant:acme:user:1';

/** Two sample-app instances on one database schema: only the change feed, or the feed and the bus. */
const modes: [string, (suffix: string) => SampleSettings][] = [
  ['the change feed alone (no Redis)', () => ({})],
  ...(redis
    ? [
        [
          'the change feed and the Redis bus',
          (suffix: string) => ({ redisUrl: SHARED_REDIS_URL, redisChannel: `test-${suffix}` }),
        ] as [string, (suffix: string) => SampleSettings],
      ]
    : []),
];

describe.each(modes)('sample app: two instances on %s', (_mode, settings) => {
  const apps: INestApplication[] = [];
  let database: ReturnType<typeof sampleSchema>;

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await database.drop();
  });

  /** One instance of the sample app on the test's schema. */
  async function instance(name: string, extra: SampleSettings): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(database.config({ ...extra, instanceName: name }))
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    const cache = app.get(HydraCache);
    // What an instance caches before it hears the bus is dropped when it joins: warm up after.
    if (extra.redisUrl !== undefined)
      await pollUntil(() => cache.busStats()?.connected === true, `${name} on the bus`);
    return app;
  }

  async function twoInstances(): Promise<[INestApplication, INestApplication]> {
    const suffix = randomBytes(6).toString('hex');
    database = sampleSchema();
    const extra = settings(suffix);
    // Sequentially: the first creates the tables, the second finds them.
    const a = await instance('a', extra);
    const b = await instance('b', extra);
    return [a, b];
  }

  /** Reads user 1 on `app` until it is cached there (the feed may drop the first copy). */
  async function cacheUser(app: INestApplication): Promise<void> {
    await pollUntil(async () => {
      await request(app.getHttpServer()).get('/tenants/acme/users/1').expect(200);
      return app.get(HydraCache).containsKey(USER_KEY);
    }, 'user 1 cached');
  }

  it('an update through one instance makes the other reload the new value', async () => {
    const [a, b] = await twoInstances();
    const onB = () => request(b.getHttpServer());
    await cacheUser(b);
    const queries = b.get(QueryGate).queries;
    expect((await onB().get('/tenants/acme/users/1').expect(200)).body.name).toBe('Ada Lovelace');
    expect(b.get(QueryGate).queries).toBe(queries); // A hit.

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
    expect(b.get(QueryGate).queries).toBe(queries + 1);
  });

  it('a write from psql reaches both instances, and each reloads it once', async () => {
    const [a, b] = await twoInstances();
    await Promise.all([cacheUser(a), cacheUser(b)]);

    const rows = await runSql(
      `UPDATE users SET name = 'Ada Byron' WHERE tenant = 'acme' AND id = 1`,
      database.schema,
    );
    expect(rows).toBe(1);
    for (const app of [a, b]) {
      await pollUntil(
        async () => !(await app.get(HydraCache).containsKey(USER_KEY)),
        'the psql write to reach every instance',
      );
      const read = await request(app.getHttpServer()).get('/tenants/acme/users/1').expect(200);
      expect(read.body.name).toBe('Ada Byron');
    }
  });

  it('an insert from psql shows up in a cached list (table tag)', async () => {
    const [a] = await twoInstances();
    const list = () => request(a.getHttpServer()).get('/tenants/acme/users').expect(200);
    expect((await list()).body).toHaveLength(5);
    await runSql(
      `INSERT INTO users (tenant, id, name, email) VALUES ('acme', 6, 'Frances Allen', 'frances@acme.example')`,
      database.schema,
    );
    await pollUntil(async () => (await list()).body.length === 6, 'the new user in the list');
  });
});

describe('sample app: cluster configuration', () => {
  it('reads REDIS_URL, REDIS_CHANNEL, DB_SCHEMA, INSTANCE_NAME and DATABASE_URL', () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6380',
      REDIS_CHANNEL: 'orders',
      DB_SCHEMA: 'orders_db',
      INSTANCE_NAME: 'orders-1',
      DATABASE_URL: 'postgres://app@db:5432/orders',
    };
    expect(AppConfig.fromEnv(env)).toEqual(
      new AppConfig(
        3000,
        60_000,
        1_000,
        40,
        'redis://127.0.0.1:6380',
        'orders',
        'orders_db',
        'orders-1',
        'none',
        'postgres://app@db:5432/orders',
      ),
    );
  });

  it('reports a bad REDIS_URL, channel, schema or DATABASE_URL with the other invalid variables', () => {
    expect(() =>
      AppConfig.fromEnv({
        PORT: 'x',
        REDIS_URL: 'localhost:6379',
        REDIS_CHANNEL: 'a b',
        DB_SCHEMA: 'Drop Table',
        DATABASE_URL: 'mysql://db',
      }),
    ).toThrow(
      'Invalid configuration: PORT must be an integer 0..65535 (TCP port), got "x"; ' +
        'REDIS_URL must be a redis:// URL, got "localhost:6379"; ' +
        'REDIS_CHANNEL must be 1 to 100 of letters, digits and . _ : -, got "a b"; ' +
        'DB_SCHEMA must be a lower-case schema name, got "Drop Table"; ' +
        'DATABASE_URL must be a postgres:// URL, got "mysql://db".',
    );
  });
});
