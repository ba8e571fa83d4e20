import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import { HydraCache, HydraCacheModule } from '@hydracache/nestjs';
import { postgresChanges } from '@hydracache/nestjs/postgres';
import { pollUntil } from '../support/poll.js';
import { gone, putRow } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed in NestJS');
const suite = available ? describe : describe.skip;

suite('postgres change feed: in a Nest module, over a pool or a client factory', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text)`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function applied(cache: HydraCache, id: number): Promise<void> {
    const key = await putRow(cache, 'users', id);
    await db.sql(`INSERT INTO users VALUES ($1, 'nest')`, [id]);
    await gone(cache, key);
  }

  it('HydraCacheModule.forRoot({ changes }) applies writes and closes the feed with the app', async () => {
    const feed = postgresChanges({ connectionString: db.url, tables: ['users'], pollInterval: 50 });
    const app = await Test.createTestingModule({
      imports: [HydraCacheModule.forRoot({ changes: feed })],
    }).compile();
    await app.init();
    await feed.ready();
    await applied(app.get(HydraCache), 1);
    await app.close();
    expect(feed.stats().connected).toBe(false);
  });

  it('forRootAsync with a pool of the app', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 3 });
    const feed = postgresChanges({ pool, tables: ['users'], pollInterval: 50 });
    const app = await Test.createTestingModule({
      imports: [HydraCacheModule.forRootAsync({ useFactory: () => ({ changes: feed }) })],
    }).compile();
    await app.init();
    await feed.ready();
    expect(pool.totalCount).toBe(1); // the one connection the feed holds
    await applied(app.get(HydraCache), 2);
    await app.close();
    await pollUntil(() => pool.totalCount === 0, 'the pool to get its connection back, closed');
    await pool.end();
  });

  it('a client factory is called again on every reconnect', async () => {
    let made = 0;
    const feed = postgresChanges({
      client: () => {
        made++;
        return new pg.Client({ connectionString: db.url, application_name: 'hc-factory' });
      },
      tables: ['users'],
      pollInterval: 50,
    });
    const cache = HydraCache.local().changes(feed).build();
    await feed.ready();
    await db.sql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hc-factory'`,
    );
    await pollUntil(() => made === 2 && feed.stats().connected, 'the factory to be called again');
    await applied(cache, 3);
    await cache.close();
  });
});
