import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { pollUntil } from '../support/poll.js';
import { feedInstance, gone, putRow, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: many instances');
const suite = available ? describe : describe.skip;

suite('postgres change feed: several instances on one log, no bus', () => {
  let db: TestDatabase;
  const open: FeedInstance[] = [];

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text);
      CREATE TABLE tenants (id text PRIMARY KEY)`);
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((instance) => instance.close()));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('four instances installing at once install once, and every one applies every write', async () => {
    const started = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        feedInstance({ connectionString: db.url, tables: ['users', 'tenants'] }, `instance-${n}`),
      ),
    );
    open.push(...started);
    const [{ n }] = await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE NOT tgisinternal`,
    );
    expect(n).toBe(8); // four per table
    const keys = await Promise.all(
      started.map((instance) => putRow(instance.cache, 'tenants', 'acme')),
    );
    await db.sql(`INSERT INTO tenants VALUES ('acme')`);
    await Promise.all(started.map((instance, i) => gone(instance.cache, keys[i]!)));
  });

  it('a cache restarted mid-stream starts from now and applies what follows', async () => {
    const first = await feedInstance({ connectionString: db.url, tables: ['users'] });
    open.push(first);
    let writing = true;
    let id = 1_000;
    const writer = (async () => {
      while (writing) await db.sql(`INSERT INTO users VALUES ($1, 'stream')`, [id++]);
    })();
    await pollUntil(() => first.feed.stats().applied >= 5, 'writes to stream');
    await first.close();
    open.splice(open.indexOf(first), 1);
    const second = await feedInstance({ connectionString: db.url, tables: ['users'] });
    open.push(second);
    const next = id + 50;
    const row = await putRow(second.cache, 'users', next);
    await gone(second.cache, row, 'a row written after the restart');
    writing = false;
    await writer;
    expect(second.feed.stats().gaps).toBe(0);
  });

  it('notify: false installs triggers without the doorbell, and the poll carries the feed', async () => {
    await db.sql(`CREATE TABLE quiet (id int PRIMARY KEY)`);
    const instance = await feedInstance({
      connectionString: db.url,
      tables: ['quiet'],
      logTable: 'quiet_changes',
      notify: false,
    });
    open.push(instance);
    const sources = await db.sql<{ src: string }>(
      `SELECT prosrc AS src FROM pg_proc WHERE proname LIKE 'quiet_changes_capture_%'`,
    );
    expect(sources).toHaveLength(1);
    expect(sources[0]!.src).not.toMatch(/pg_notify/);
    const row = await putRow(instance.cache, 'quiet', 1);
    await db.sql(`INSERT INTO quiet VALUES (1)`);
    await gone(instance.cache, row);
  });

  it('a feed given install: false reads what postgresChangesSql installed', async () => {
    const { postgresChangesSql } = await import('@hydracache/nestjs/postgres');
    const sql = postgresChangesSql({ tables: ['users'], logTable: 'ops.changes' });
    await db.sql(`BEGIN; ${sql.install}; COMMIT;`);
    const instance = await feedInstance({
      connectionString: db.url,
      tables: ['users'],
      logTable: 'ops.changes',
      install: false,
    });
    open.push(instance);
    const row = await putRow(instance.cache, 'users', 5_000);
    await db.sql(`INSERT INTO users VALUES (5000, 'migrated')`);
    await gone(instance.cache, row);
    await instance.close();
    open.pop();
    await db.sql(`BEGIN; ${sql.remove}; COMMIT;`);
    const left = await db.sql(
      `SELECT tgname FROM pg_trigger WHERE tgname LIKE 'changes%' UNION ALL
       SELECT proname FROM pg_proc WHERE proname LIKE 'changes%' UNION ALL
       SELECT relname FROM pg_class WHERE relname LIKE 'changes%'`,
    );
    expect(left).toEqual([]);
  });
});
