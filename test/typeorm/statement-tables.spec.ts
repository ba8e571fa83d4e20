import { beforeAll, describe, expect, it } from '@jest/globals';
import { tableTag } from '../../lib/index.js';
import {
  loadParser,
  type SqlDialect,
  type TableListParser,
} from '../../lib/typeorm/sql-dialect.js';
import { firstKeyword, statementKind } from '../../lib/typeorm/statement-keyword.js';
import { ANY_TABLE_TAG, StatementTables } from '../../lib/typeorm/statement-tables.js';

const POSTGRES: SqlDialect = {
  database: 'PostgresQL',
  build: 'postgresql',
  defaultQualifier: 'public',
};
const MARIADB: SqlDialect = { database: 'MariaDB', build: 'mariadb', defaultQualifier: 'shop' };
const SQLITE: SqlDialect = { database: 'Sqlite', build: 'sqlite', defaultQualifier: 'main' };

const tags = (...tables: string[]) => tables.map(tableTag);

describe('statementKind: which statements the adapter parses for writes', () => {
  it.each([
    ['SELECT * FROM a', 'read'],
    ['  /* hint */ -- note\n (SELECT 1)', 'read'],
    ['START TRANSACTION', 'read'],
    ['COMMIT', 'read'],
    ['insert into a values (1)', 'write'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'write'],
    ['ALTER TABLE a ADD b int', 'unknown'],
    ['CALL refresh()', 'unknown'],
    ['', 'unknown'],
  ])('%j is %s', (sql, kind) => {
    expect(statementKind(sql)).toBe(kind);
  });

  it('reads the keyword past comments and parentheses', () => {
    expect(firstKeyword('/* a */ ( -- b\n update t set x = 1')).toBe('UPDATE');
  });
});

describe('StatementTables on PostgreSQL', () => {
  let parser: TableListParser;
  let tables: StatementTables;
  beforeAll(async () => {
    parser = await loadParser(POSTGRES);
    tables = new StatementTables(parser, POSTGRES, 100);
  });

  it('tags a join with both tables', () => {
    expect(
      tables.readTags(
        'SELECT "m"."id" FROM "member" "m" LEFT JOIN "team" "t" ON "t"."id" = "m"."teamId" WHERE "m"."id" IN ($1, $2)',
      ),
    ).toEqual(tags('member', 'team'));
  });

  it('tags the tables of subqueries and CTEs', () => {
    const sql =
      'WITH recent AS (SELECT * FROM orders WHERE placed > now()) ' +
      'SELECT * FROM recent JOIN customer c ON c.id = recent.customer_id ' +
      'WHERE c.id IN (SELECT customer_id FROM bans) AND EXISTS (SELECT 1 FROM notes n WHERE n.c = c.id)';
    expect(new Set(tables.readTags(sql))).toEqual(
      new Set([...tags('orders', 'customer', 'bans', 'notes'), tableTag('recent')]),
    );
  });

  it('keeps a schema other than public in the tag, drops public', () => {
    expect(tables.readTags('SELECT * FROM "public"."a" JOIN "billing"."b" ON true')).toEqual(
      tags('a', 'billing.b'),
    );
  });

  it('tags SQL it cannot parse, or that names no table, with the any-table tag', () => {
    expect(
      tables.readTags(
        'SELECT * FROM a WHERE id = ANY($1::int[]) FOR UPDATE OF a SKIP LOCKED NOWAIT ???',
      ),
    ).toEqual([ANY_TABLE_TAG]);
    expect(tables.readTags('SELECT now()')).toEqual([ANY_TABLE_TAG]);
  });

  it('names the tables writes change, not the ones they only read', () => {
    expect(tables.written('UPDATE "member" SET "name" = $1 WHERE "id" IN ($2)')).toEqual([
      'member',
    ]);
    expect(tables.written('INSERT INTO "audit"("note") SELECT "name" FROM "member"')).toEqual([
      'audit',
    ]);
    expect(tables.written('DELETE FROM "public"."team" WHERE "id" = $1')).toEqual(['team']);
    expect(tables.written('TRUNCATE TABLE member')).toEqual(['member']);
  });

  it('reads no writes from reads and transaction control, without parsing them', () => {
    const counting = {
      calls: 0,
      tableList: (sql: string, o: { database: string }) => (
        counting.calls++,
        parser.tableList(sql, o)
      ),
    };
    const t = new StatementTables(counting, POSTGRES, 100);
    expect(t.written('SELECT * FROM member')).toEqual([]);
    expect(t.written('COMMIT')).toEqual([]);
    expect(counting.calls).toBe(0);
    expect(t.written('WITH x AS (SELECT 1 FROM member) SELECT * FROM x')).toEqual([]);
  });

  it('reports a write it cannot name the tables of as unknown (every table)', () => {
    expect(tables.written('ALTER TABLE member ADD COLUMN x int')).toBeUndefined();
    expect(tables.written('CALL refresh_all()')).toBeUndefined();
    expect(tables.written('UPDATE member SET ??? broken')).toBeUndefined();
  });

  it('parses each SQL text once, and forgets the oldest past its bound', () => {
    const counting = {
      calls: 0,
      tableList: (sql: string, o: { database: string }) => (
        counting.calls++,
        parser.tableList(sql, o)
      ),
    };
    const t = new StatementTables(counting, POSTGRES, 2);
    t.readTags('SELECT * FROM a');
    t.readTags('SELECT * FROM a');
    expect(counting.calls).toBe(1);
    t.readTags('SELECT * FROM b');
    t.readTags('SELECT * FROM c');
    t.readTags('SELECT * FROM a');
    expect(counting.calls).toBe(4);
  });
});

describe('StatementTables on MariaDB and SQLite', () => {
  it('drops the connection database from MariaDB names, keeps others', async () => {
    const tables = new StatementTables(await loadParser(MARIADB), MARIADB, 100);
    expect(
      tables.readTags(
        'SELECT `m`.`id` FROM `member` `m` INNER JOIN `shop`.`team` `t` ON 1=1 JOIN `other`.`x` ON 1=1',
      ),
    ).toEqual(tags('member', 'team', 'other.x'));
    expect(tables.written('UPDATE `member` SET `name` = ? WHERE `id` IN (?)')).toEqual(['member']);
  });

  it('parses SQLite joins and subqueries', async () => {
    const tables = new StatementTables(await loadParser(SQLITE), SQLITE, 100);
    expect(
      tables.readTags(
        'SELECT * FROM "member" "m" WHERE EXISTS (SELECT 1 FROM "team" "t" WHERE "t"."id" = "m"."teamId")',
      ),
    ).toEqual(tags('team', 'member'));
    expect(tables.written('INSERT INTO "member"("name") VALUES (?)')).toEqual(['member']);
  });
});
