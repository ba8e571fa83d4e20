import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { HydraCache, rowTag } from '@hydracache/nestjs';
import { postgresChanges } from '@hydracache/nestjs/postgres';
import { redisL2 } from '@hydracache/nestjs/redis';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available =
  (await postgresAvailable('Postgres change feed with a Redis second tier')) &&
  (await sharedRedisAvailable('Postgres change feed with a Redis second tier'));
const suite = available ? describe : describe.skip;

suite('postgres change feed with a Redis second tier', () => {
  let db: TestDatabase;
  const open: HydraCache[] = [];
  const prefix = `hc-feed-l2:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(
      `CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'old')`,
    );
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A cache with the feed and the tier, once its feed has connected. */
  async function instance(): Promise<HydraCache> {
    const feed = postgresChanges({ connectionString: db.url, tables: ['users'], pollInterval: 50 });
    const cache = new HydraCache({
      changes: feed,
      l2: redisL2({ url: SHARED_REDIS_URL, prefix, timeout: 1_000 }),
    });
    open.push(cache);
    await pollUntil(() => feed.stats().connected, 'the feed to connect');
    return cache;
  }

  const readUser = (cache: HydraCache): Promise<string> =>
    cache.getOrLoad('user:1', { tags: [rowTag('users', 1)] }, async () => {
      const [row] = await db.sql<{ name: string }>(`SELECT name FROM users WHERE id = 1`);
      return row!.name;
    });

  it('a write committed while no instance ran is never served from the tier by the next to start', async () => {
    const first = await instance();
    expect(await readUser(first)).toBe('old');
    await pollUntil(() => (first.l2Stats()?.fills ?? 0) > 0, 'the tier to be filled');
    await first.close();
    // Nobody's feed hears this one: every instance is down.
    await db.sql(`UPDATE users SET name = 'new' WHERE id = 1`);
    const next = await instance();
    expect(await readUser(next)).toBe('new');
  });
});
