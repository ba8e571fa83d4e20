import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pollUntil } from '../support/poll.js';
import { feedInstance, gone, putRow, putTable, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: bulk statements');
const suite = available ? describe : describe.skip;

suite('postgres change feed: statements that name their table alone', () => {
  let db: TestDatabase;
  let instance: FeedInstance;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text); CREATE TABLE notes (body text);
      CREATE TABLE other (id int PRIMARY KEY)`);
    instance = await feedInstance({ connectionString: db.url, tables: ['users', 'notes'] });
  });

  afterAll(async () => {
    await instance?.close();
    await db?.drop();
  });

  async function flushedBy(sql: string): Promise<void> {
    const flushes = instance.feed.stats().tableFlushes;
    const row = await putRow(instance.cache, 'users', 5);
    const list = await putTable(instance.cache, 'users');
    await db.sql(sql);
    await gone(instance.cache, row);
    await gone(instance.cache, list);
    await pollUntil(() => instance.feed.stats().tableFlushes > flushes, 'a table flush');
  }

  it('a 10 000-row statement records the table alone, which drops every entry of it', async () => {
    await flushedBy(`INSERT INTO users SELECT g, 'bulk' FROM generate_series(1000, 10999) g`);
    const [log] = await db.sql(`SELECT keys FROM hydracache_changes ORDER BY id DESC LIMIT 1`);
    expect(log).toEqual({ keys: null });
  });

  it('a statement of up to maxRowsPerStatement rows names each row', async () => {
    const row = await putRow(instance.cache, 'users', 20_001);
    const kept = await putRow(instance.cache, 'users', 30_000);
    await db.sql(`INSERT INTO users SELECT g, 'some' FROM generate_series(20001, 21000) g`);
    await gone(instance.cache, row);
    expect(await instance.cache.get(kept)).toBe('cached');
    const [log] = await db.sql<{ n: number }>(
      `SELECT jsonb_array_length(keys) AS n FROM hydracache_changes ORDER BY id DESC LIMIT 1`,
    );
    expect(log!.n).toBe(1000);
  });

  it('TRUNCATE drops every entry of the table', async () => {
    await flushedBy(`TRUNCATE users`);
  });

  it('a write to a table without a primary key drops every entry of it', async () => {
    await flushedBy(`INSERT INTO notes VALUES ('x')`);
  });

  it('a statement that touches no row records nothing; an unwatched table, nothing', async () => {
    const before = await db.sql(`SELECT count(*)::int AS n FROM hydracache_changes`);
    await db.sql(`UPDATE users SET name = 'none' WHERE false; INSERT INTO other VALUES (1)`);
    expect(await db.sql(`SELECT count(*)::int AS n FROM hydracache_changes`)).toEqual(before);
  });
});
