import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { HydraCache, rowTag } from '@hydracache/nestjs';
import { postgresChanges, type PostgresChangesOptions } from '@hydracache/nestjs/postgres';
import { redisL2 } from '@hydracache/nestjs/redis';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available =
  (await postgresAvailable('Postgres change feed with a Redis second tier')) &&
  (await sharedRedisAvailable('Postgres change feed with a Redis second tier'));
const suite = available ? describe : describe.skip;

suite('postgres change feed with a Redis second tier: instances that start', () => {
  let db: TestDatabase;
  const open: HydraCache[] = [];
  let prefix = '';

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text)`);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A cache with the feed and the tier, once its feed has connected. */
  async function instance(feed: Partial<PostgresChangesOptions> = {}): Promise<HydraCache> {
    const changes = postgresChanges({
      connectionString: db.url,
      tables: ['users'],
      pollInterval: 50,
      ...feed,
    });
    const cache = new HydraCache({
      changes,
      l2: redisL2({ url: SHARED_REDIS_URL, prefix, timeout: 1_000 }),
    });
    open.push(cache);
    await pollUntil(() => changes.stats().connected, 'the feed to connect');
    return cache;
  }

  /** Waits until `cache` reads its tier (its start vouched for, or the tier flushed). */
  const started = (cache: HydraCache): Promise<void> =>
    pollUntil(() => cache.l2Stats()?.starting === false, 'the tier to be read again');

  /** Reads user 1 through `cache`, counting the database reads in `loads`. */
  function reader(loads: { count: number }) {
    return (cache: HydraCache): Promise<string> =>
      cache.getOrLoad('user:1', { tags: [rowTag('users', 1)] }, async () => {
        loads.count++;
        const [row] = await db.sql<{ name: string }>(`SELECT name FROM users WHERE id = 1`);
        return row!.name;
      });
  }

  beforeEach(async () => {
    prefix = `hc-feed-l2:${randomBytes(6).toString('hex')}`;
    await db.sql(`TRUNCATE users; INSERT INTO users VALUES (1, 'old')`);
  });

  it('an instance that starts while another runs serves from the tier what that one loaded', async () => {
    const loads = { count: 0 };
    const read = reader(loads);
    const first = await instance();
    await started(first); // alone: nobody vouches, so after a few polls it flushes the tier
    expect(await read(first)).toBe('old');
    await pollUntil(() => (first.l2Stats()?.fills ?? 0) > 0, 'the tier to be filled');
    // A slower poll gives it a longer wait (3 s) before it would flush the tier: room for a busy CI.
    const next = await instance({ pollInterval: 1_000 });
    await started(next); // the first reports applying the log past the start of the second
    expect(await read(next)).toBe('old');
    expect(loads.count).toBe(1);
    expect(next.l2Stats()).toMatchObject({ hits: 1 });
  });

  it('a write the running instance has not applied yet is never served from the tier by one that starts', async () => {
    const loads = { count: 0 };
    const read = reader(loads);
    // It hears writes late: no doorbell, a poll every second.
    const slow = await instance({ notify: false, pollInterval: 1_000 });
    await started(slow);
    expect(await read(slow)).toBe('old');
    await pollUntil(() => (slow.l2Stats()?.fills ?? 0) > 0, 'the tier to be filled');
    await db.sql(`UPDATE users SET name = 'new' WHERE id = 1`);
    const next = await instance();
    expect(await read(next)).toBe('new');
  });

  it('a write committed while no instance ran is never served from the tier by the next to start', async () => {
    const read = reader({ count: 0 });
    const first = await instance();
    await started(first);
    expect(await read(first)).toBe('old');
    await pollUntil(() => (first.l2Stats()?.fills ?? 0) > 0, 'the tier to be filled');
    await first.close();
    // Nobody's feed hears this one: every instance is down.
    await db.sql(`UPDATE users SET name = 'new' WHERE id = 1`);
    const next = await instance();
    expect(await read(next)).toBe('new');
    await started(next);
    expect(await read(next)).toBe('new');
    const again = await instance();
    await started(again);
    expect(await read(again)).toBe('new');
  });
});
