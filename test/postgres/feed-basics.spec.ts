import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANY_TABLE_TAG } from '@hydracache/nestjs';
import { POSTGRES_FEED_CHANNEL, type PostgresFeedEvent } from '@hydracache/nestjs/postgres';
import { feedInstance, gone, putRow, putTable, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed');
const suite = available ? describe : describe.skip;

suite('postgres change feed: writes from another connection', () => {
  let db: TestDatabase;
  let instance: FeedInstance;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text);
      CREATE TABLE memberships (tenant text, user_id int, role text, PRIMARY KEY (tenant, user_id))`);
    instance = await feedInstance({ connectionString: db.url, tables: ['users', 'memberships'] });
  });

  afterAll(async () => {
    await instance?.close();
    await db?.drop();
  });

  it('an INSERT from psql-like raw SQL invalidates the row and the table', async () => {
    const row = await putRow(instance.cache, 'users', 1);
    const other = await putRow(instance.cache, 'users', 2);
    const list = await putTable(instance.cache, 'users');
    await db.sql(`INSERT INTO users VALUES (1, 'ada')`);
    await gone(instance.cache, row);
    await gone(instance.cache, list);
    expect(await instance.cache.get(other)).toBe('cached');
  });

  it('any write invalidates ANY_TABLE_TAG, which ORM adapters give results of unknown tables', async () => {
    await instance.cache.put('unparsed', 'cached', { tags: [ANY_TABLE_TAG] });
    await db.sql(`INSERT INTO memberships VALUES ('globex', 1, 'member')`);
    await gone(instance.cache, 'unparsed');
  });

  it('an UPDATE that changes the key invalidates the old and the new row', async () => {
    await db.sql(`INSERT INTO users VALUES (10, 'x')`);
    const before = await putRow(instance.cache, 'users', 10);
    const after = await putRow(instance.cache, 'users', 11);
    await db.sql(`UPDATE users SET id = 11 WHERE id = 10`);
    await gone(instance.cache, before);
    await gone(instance.cache, after);
  });

  it('a composite primary key gives row tags in key column order', async () => {
    const row = await putRow(instance.cache, 'memberships', ['acme', 7]);
    const other = await putRow(instance.cache, 'memberships', ['acme', 8]);
    await db.sql(`INSERT INTO memberships VALUES ('acme', 7, 'admin')`);
    await gone(instance.cache, row);
    expect(await instance.cache.get(other)).toBe('cached');
  });

  it('a write in a session that skips triggers (session_replication_role = replica) is captured', async () => {
    const row = await putRow(instance.cache, 'users', 140);
    const client = await db.connect();
    await client.query('SET session_replication_role = replica');
    await client.query(`INSERT INTO users VALUES (140, 'bulk-loaded')`);
    await gone(instance.cache, row);
  });

  it('a rolled-back write records nothing', async () => {
    const row = await putRow(instance.cache, 'users', 20);
    const client = await db.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO users VALUES (20, 'never')`);
    await client.query('ROLLBACK');
    // A later committed write is applied; the rolled-back one never was.
    const marker = await putRow(instance.cache, 'users', 21);
    await db.sql(`INSERT INTO users VALUES (21, 'later')`);
    await gone(instance.cache, marker);
    expect(await instance.cache.get(row)).toBe('cached');
    expect(await db.sql(`SELECT 1 FROM hydracache_changes WHERE keys @> '[["20"]]'`)).toEqual([]);
  });

  it('a write in a savepoint counts as its transaction: applied when kept, nothing when rolled back to', async () => {
    const kept = await putRow(instance.cache, 'users', 30);
    const undone = await putRow(instance.cache, 'users', 31);
    const client = await db.connect();
    await client.query('BEGIN');
    await client.query('SAVEPOINT a');
    await client.query(`INSERT INTO users VALUES (30, 'kept')`);
    await client.query('RELEASE SAVEPOINT a');
    await client.query('SAVEPOINT b');
    await client.query(`INSERT INTO users VALUES (31, 'undone')`);
    await client.query('ROLLBACK TO SAVEPOINT b');
    await client.query('COMMIT');
    await gone(instance.cache, kept);
    expect(await instance.cache.get(undone)).toBe('cached');
  });

  it('reports what it applied in its stats and on the hydracache:postgres channel', async () => {
    const events: PostgresFeedEvent[] = [];
    const listener = (message: unknown): void => void events.push(message as PostgresFeedEvent);
    subscribe(POSTGRES_FEED_CHANNEL, listener);
    try {
      const before = instance.feed.stats();
      const row = await putRow(instance.cache, 'users', 40);
      await db.sql(`INSERT INTO users VALUES (40, 'seen')`);
      await gone(instance.cache, row);
      const after = instance.feed.stats();
      expect(after.applied).toBeGreaterThan(before.applied);
      expect(after.position).toMatch(/^\d+:\d+:/);
      expect(after.lagMs).toEqual(expect.any(Number));
      expect(events).toContainEqual({ cache: 'pg-test', event: 'applied', count: 1 });
    } finally {
      unsubscribe(POSTGRES_FEED_CHANNEL, listener);
    }
  });
});
