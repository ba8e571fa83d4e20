import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rowTag } from '@hydracache/nestjs';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { feedInstance, gone, putRow, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: commit order');
const suite = available ? describe : describe.skip;

suite('postgres change feed: transactions that commit out of order', () => {
  let db: TestDatabase;
  let instance: FeedInstance;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text)`);
    instance = await feedInstance({ connectionString: db.url, tables: ['users'] });
  });

  afterAll(async () => {
    await instance?.close();
    await db?.drop();
  });

  it('applies both of two transactions that commit in the opposite order of their ids', async () => {
    const a = await db.connect();
    const b = await db.connect();
    const rowA = await putRow(instance.cache, 'users', 1);
    const rowB = await putRow(instance.cache, 'users', 2);
    await a.query('BEGIN');
    await a.query(`INSERT INTO users VALUES (1, 'a')`); // A's log row takes the lower id
    await b.query('BEGIN');
    await b.query(`INSERT INTO users VALUES (2, 'b')`);
    await b.query('COMMIT');
    // B is applied while A is still open: a long transaction delays nobody else.
    await gone(instance.cache, rowB);
    expect(await instance.cache.get(rowA)).toBe('cached');
    await a.query('COMMIT');
    // "id > last seen" would skip A's row now; the snapshot cursor applies it.
    await gone(instance.cache, rowA);
    const [{ lower }] = await db.sql<{ lower: boolean }>(
      `SELECT min(id) FILTER (WHERE keys = '[["1"]]') < min(id) FILTER (WHERE keys = '[["2"]]') AS lower
       FROM hydracache_changes`,
    );
    expect(lower).toBe(true); // A's row has the lower id, yet was read after B's
  });

  it('keeps applying others while a transaction stays open across many reads', async () => {
    const open = await db.connect();
    await open.query('BEGIN');
    await open.query(`INSERT INTO users VALUES (100, 'long')`);
    const held = await putRow(instance.cache, 'users', 100);
    for (let id = 101; id <= 105; id++) {
      const row = await putRow(instance.cache, 'users', id);
      await db.sql(`INSERT INTO users VALUES ($1, 'short')`, [id]);
      await gone(instance.cache, row);
    }
    expect(await instance.cache.get(held)).toBe('cached');
    await open.query('COMMIT');
    await gone(instance.cache, held);
  });

  it('a load that read the row before the commit and finishes after it was applied stores nothing', async () => {
    await db.sql(`INSERT INTO users VALUES (200, 'old')`);
    const loaded = deferred<string>();
    const selected = deferred<void>();
    const key = 'user:200';
    const load = instance.cache.getOrLoad(key, { tags: [rowTag('users', 200)] }, async () => {
      const [row] = await db.sql<{ name: string }>(`SELECT name FROM users WHERE id = 200`);
      selected.resolve();
      return loaded.promise.then(() => row!.name);
    });
    // The load has read the row before the UPDATE runs (not merely started to).
    await selected.promise;
    const applied = instance.feed.stats().applied;
    await db.sql(`UPDATE users SET name = 'new' WHERE id = 200`);
    await pollUntil(() => instance.feed.stats().applied > applied, 'the update to be applied');
    loaded.resolve('go');
    await expect(load).resolves.toBe('old');
    expect(await instance.cache.get(key)).toBeUndefined();
    await expect(
      instance.cache.getOrLoad(key, { tags: [rowTag('users', 200)] }, async () => {
        const [row] = await db.sql<{ name: string }>(`SELECT name FROM users WHERE id = 200`);
        return row!.name;
      }),
    ).resolves.toBe('new');
  });
});
