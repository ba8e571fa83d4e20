import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { feedInstance, gone, putRow, putTable, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: indirect writes');
const suite = available ? describe : describe.skip;

// Writes that never name the watched table, or name it through something else: each still changes
// its rows, so each must reach the cache.
suite('postgres change feed: writes that reach a watched table indirectly', () => {
  let db: TestDatabase;
  let instance: FeedInstance;

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE teams (id int PRIMARY KEY);
      CREATE TABLE members (id int PRIMARY KEY, team int REFERENCES teams(id) ON DELETE CASCADE);
      CREATE VIEW team_members AS SELECT * FROM members;
      INSERT INTO teams VALUES (1), (2);
      INSERT INTO members VALUES (10, 1), (11, 1), (20, 2)`);
    instance = await feedInstance({ connectionString: db.url, tables: ['teams', 'members'] });
  });

  afterAll(async () => {
    await instance?.close();
    await db?.drop();
  });

  it('a foreign-key ON DELETE CASCADE', async () => {
    const rows = [
      await putRow(instance.cache, 'members', 10),
      await putRow(instance.cache, 'members', 11),
    ];
    const other = await putRow(instance.cache, 'members', 20);
    await db.sql(`DELETE FROM teams WHERE id = 1`);
    for (const row of rows) await gone(instance.cache, row);
    expect(await instance.cache.get(other)).toBe('cached');
  });

  it('an updatable view', async () => {
    const row = await putRow(instance.cache, 'members', 20);
    await db.sql(`UPDATE team_members SET team = 2 WHERE id = 20`);
    await gone(instance.cache, row);
  });

  it('MERGE', async () => {
    const updated = await putRow(instance.cache, 'members', 20);
    const inserted = await putRow(instance.cache, 'members', 21);
    await db.sql(`MERGE INTO members m USING (VALUES (20, 2), (21, 2)) AS v(id, team) ON m.id = v.id
      WHEN MATCHED THEN UPDATE SET team = v.team WHEN NOT MATCHED THEN INSERT VALUES (v.id, v.team)`);
    await gone(instance.cache, updated);
    await gone(instance.cache, inserted);
  });

  it('COPY', async () => {
    const row = await putRow(instance.cache, 'members', 30);
    await db.sql(`COPY members FROM PROGRAM 'echo 30,2' WITH (FORMAT csv)`);
    await gone(instance.cache, row);
  });

  it('TRUNCATE ... CASCADE of the referenced table', async () => {
    const list = await putTable(instance.cache, 'members');
    await db.sql(`TRUNCATE teams CASCADE`);
    await gone(instance.cache, list);
  });
});
