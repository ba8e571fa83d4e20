import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { feedInstance, gone, putRow, putTable, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: partitioned tables');
const suite = available ? describe : describe.skip;

suite('postgres change feed: a partitioned table', () => {
  let db: TestDatabase;
  let instance: FeedInstance;
  const extra: FeedInstance[] = [];

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE readings (id int, region int, v text, PRIMARY KEY (id, region))
        PARTITION BY LIST (region);
      CREATE TABLE readings_1 PARTITION OF readings FOR VALUES IN (1);
      CREATE TABLE readings_2 PARTITION OF readings FOR VALUES IN (2) PARTITION BY RANGE (id);
      CREATE TABLE readings_2_low PARTITION OF readings_2 FOR VALUES FROM (0) TO (1000);
      CREATE TABLE readings_2_high PARTITION OF readings_2 FOR VALUES FROM (1000) TO (MAXVALUE);
      INSERT INTO readings VALUES (1, 1, 'a'), (2, 2, 'b'), (2000, 2, 'c');
      CREATE TABLE devices (id int PRIMARY KEY, site text NOT NULL)`);
    instance = await feedInstance({ connectionString: db.url, tables: ['readings', 'devices'] });
  });

  afterAll(async () => {
    await Promise.all([instance, ...extra].map((i) => i?.close()));
    await db?.drop();
  });

  const logRows = async (): Promise<number> =>
    (await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM hydracache_changes`))[0]!.n;

  it.each([
    ['INSERT into a leaf partition', `INSERT INTO readings_1 VALUES (5, 1, 'direct')`, [5, 1]],
    ['UPDATE of a sub-partition', `UPDATE readings_2 SET v = 'direct' WHERE id = 2`, [2, 2]],
    ['DELETE from a leaf of it', `DELETE FROM readings_2_high WHERE id = 2000`, [2000, 2]],
  ])('a write straight into a partition reaches the cache (%s)', async (_what, sql, key) => {
    const row = await putRow(instance.cache, 'readings', key);
    const other = await putRow(instance.cache, 'readings', [999, 9]);
    await db.sql(sql);
    await gone(instance.cache, row);
    expect(await instance.cache.get(other)).toBe('cached');
  });

  it('a statement through the parent is recorded once, as the watched table', async () => {
    const before = await logRows();
    const row = await putRow(instance.cache, 'readings', [1, 1]);
    await db.sql(`UPDATE readings SET v = 'both' WHERE id IN (1, 2)`);
    await gone(instance.cache, row);
    expect(await logRows()).toBe(before + 1);
    const [last] = await db.sql(
      `SELECT table_name, keys FROM hydracache_changes ORDER BY id DESC LIMIT 1`,
    );
    expect(last).toEqual({
      table_name: 'public.readings',
      keys: expect.arrayContaining([
        ['1', '1'],
        ['2', '2'],
      ]),
    });
  });

  it('TRUNCATE of one partition drops every entry of the table', async () => {
    const list = await putTable(instance.cache, 'readings');
    await db.sql(`TRUNCATE readings_1`);
    await gone(instance.cache, list);
  });

  it('a partition created after the feed started is watched in the same transaction', async () => {
    await db.sql(`CREATE TABLE readings_3 PARTITION OF readings FOR VALUES IN (3)`);
    const row = await putRow(instance.cache, 'readings', [7, 3]);
    await db.sql(`INSERT INTO readings_3 VALUES (7, 3, 'new partition')`);
    await gone(instance.cache, row);
  });

  it('a table attached as a partition later is watched too', async () => {
    await db.sql(`CREATE TABLE readings_4 (id int, region int, v text, PRIMARY KEY (id, region));
      ALTER TABLE readings ATTACH PARTITION readings_4 FOR VALUES IN (4)`);
    const row = await putRow(instance.cache, 'readings', [8, 4]);
    await db.sql(`INSERT INTO readings_4 VALUES (8, 4, 'attached')`);
    await gone(instance.cache, row);
  });

  it("a watched table's new primary key is used from the DDL that changed it on", async () => {
    await db.sql(`ALTER TABLE devices DROP CONSTRAINT devices_pkey, ADD PRIMARY KEY (site, id)`);
    const row = await putRow(instance.cache, 'devices', ['north', 3]);
    await db.sql(`INSERT INTO devices VALUES (3, 'north')`);
    await gone(instance.cache, row);
  });

  it('without the event trigger, a new partition is watched from the next install', async () => {
    await db.sql(`DROP EVENT TRIGGER "public.hydracache_changes_partitions"`);
    await db.sql(`CREATE TABLE readings_5 PARTITION OF readings FOR VALUES IN (5)`);
    const triggers = async (): Promise<number> =>
      (
        await db.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'readings_5'::regclass`,
        )
      )[0]!.n;
    expect(await triggers()).toBe(0);
    extra.push(
      await feedInstance({ connectionString: db.url, tables: ['readings', 'devices'] }, 'second'),
    );
    expect(await triggers()).toBe(4);
    const row = await putRow(instance.cache, 'readings', [9, 5]);
    await db.sql(`INSERT INTO readings_5 VALUES (9, 5, 'after reinstall')`);
    await gone(instance.cache, row);
  });

  it('the event trigger never fails the DDL it follows', async () => {
    // Installed again by the second instance above; now break what it relies on.
    await db.sql(`DROP TABLE hydracache_changes_tables`);
    await expect(
      db.sql(`CREATE TABLE readings_6 PARTITION OF readings FOR VALUES IN (6)`),
    ).resolves.toBeDefined();
  });
});
