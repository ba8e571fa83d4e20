import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pollUntil } from '../support/poll.js';
import { feedInstance, gone, putRow, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: pruning');
const suite = available ? describe : describe.skip;

// Pruning only removes rows of transactions below the cluster's xmin: a transaction left open in
// any database of the server holds it (and this spec) back until it ends.
suite('postgres change feed: pruning by retention', () => {
  let db: TestDatabase;
  let instance: FeedInstance;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text)`);
  });

  afterAll(async () => {
    await instance?.close();
    await db?.drop();
  });

  it('prunes rows past retention, one instance at a time, and an instance that read them sees no gap', async () => {
    const holder = await db.connect();
    await holder.query('BEGIN');
    // Hold the prune lock, as another instance pruning would.
    await holder.query(
      `SELECT pg_advisory_xact_lock(hashtext('hydracache:prune'), hashtext('public.hydracache_changes'))`,
    );
    instance = await feedInstance({
      connectionString: db.url,
      tables: ['users'],
      retention: 1_000,
    });
    const row = await putRow(instance.cache, 'users', 1);
    await db.sql(`INSERT INTO users VALUES (1, 'old')`);
    await gone(instance.cache, row);
    const count = async (): Promise<number> =>
      (await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM hydracache_changes`))[0]!.n;
    // Past retention, but another holds the lock: nothing goes.
    await pollUntil(
      async () =>
        (
          await db.sql<{ old: boolean }>(
            `SELECT bool_and(at < clock_timestamp() - interval '1.5 s') AS old FROM hydracache_changes`,
          )
        )[0]!.old,
      'the row to pass retention',
    );
    const pruneAttempts = instance.feed.stats().pruned;
    expect(pruneAttempts).toBe(0);
    expect(await count()).toBe(1);
    await holder.query('COMMIT');
    await pollUntil(async () => (await count()) === 0, 'the row to be pruned', 20_000);
    expect(instance.feed.stats().pruned).toBe(1);
    const [state] = await db.sql<{ through: string }>(
      `SELECT pruned_through::text AS through FROM hydracache_changes_state`,
    );
    expect(state!.through).not.toBe('0');
    const next = await putRow(instance.cache, 'users', 2);
    await db.sql(`INSERT INTO users VALUES (2, 'new')`);
    await gone(instance.cache, next);
    expect(instance.feed.stats().gaps).toBe(0);
  });
});
