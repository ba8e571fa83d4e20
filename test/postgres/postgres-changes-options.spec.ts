import { describe, expect, it } from '@jest/globals';
import { CacheError } from '@hydracache/nestjs';
import { postgresChanges, postgresChangesSql } from '@hydracache/nestjs/postgres';

const url = 'postgres://app@127.0.0.1:5432/app';

function invalid(make: () => unknown, field: RegExp): void {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CacheError);
  expect((thrown as CacheError).code).toBe('E_INVALID_OPTION');
  expect((thrown as CacheError).message).toMatch(field);
}

describe('postgresChanges options', () => {
  it('needs exactly one of connectionString, pool and client', () => {
    invalid(() => postgresChanges({ tables: ['users'] }), /connectionString \| pool \| client/);
    invalid(
      () =>
        postgresChanges({ connectionString: url, client: () => ({}) as never, tables: ['users'] }),
      /exactly one/,
    );
    invalid(() => postgresChanges({ pool: {} as never, tables: ['users'] }), /pool/);
  });

  it('names the field that is wrong', () => {
    invalid(() => postgresChanges({ connectionString: url, tables: [] }), /tables/);
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users', 'public.users'] }),
      /each table once/,
    );
    invalid(() => postgresChanges({ connectionString: url, tables: ['a.b.c'] }), /schema\.name/);
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users'], pollInterval: 0 }),
      /pollInterval/,
    );
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users'], retention: 5 }),
      /retention/,
    );
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users'], install: 'yes' as never }),
      /install/,
    );
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users'], maxRowsPerStatement: -1 }),
      /maxRowsPerStatement/,
    );
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users'], logTable: 'a$b' }),
      /logTable/,
    );
    invalid(
      () => postgresChanges({ connectionString: url, tables: ['users'], tabels: [] } as never),
      /tabels/,
    );
  });

  it('one source serves one cache', async () => {
    const { HydraCache } = await import('@hydracache/nestjs');
    const feed = postgresChanges({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      tables: ['users'],
    });
    const first = HydraCache.local().changes(feed).build();
    invalid(
      () => HydraCache.local().changes(feed).build(),
      /one postgresChanges\(\) source per cache/,
    );
    await first.close();
  });
});

describe('postgresChangesSql', () => {
  it('installs without opening a transaction, quoting every name, and removes everything it made', () => {
    const sql = postgresChangesSql({ tables: ['users', 'Billing.Invoices'], logTable: 'ops.log' });
    expect(sql.install).not.toMatch(/\bBEGIN;|\bCOMMIT;/);
    expect(sql.install).toContain(`CREATE TABLE IF NOT EXISTS "ops"."log"`);
    expect(sql.install).toContain(`"ops"."log_watch"('Billing', 'Invoices', 1000, true)`);
    expect(sql.install).toContain('pg_advisory_xact_lock');
    expect(sql.remove).toContain(`DROP TABLE IF EXISTS "ops"."log", "ops"."log_state"`);
  });

  it('bakes maxRowsPerStatement and notify into the watch calls', () => {
    const sql = postgresChangesSql({ tables: ['users'], maxRowsPerStatement: 10, notify: false });
    expect(sql.install).toContain(
      `"public"."hydracache_changes_watch"('public', 'users', 10, false)`,
    );
  });
});
