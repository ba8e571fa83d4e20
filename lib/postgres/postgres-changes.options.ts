import type { Client, Pool } from 'pg';
import { CacheErrors } from '../core/cache.errors.js';
import { checkOptionFields } from '../core/option-fields.js';
import { tableName } from '../core/table-tags.js';

/** Options of {@link postgresChanges}. Give exactly one of `connectionString`, `pool` or `client`. */
export interface PostgresChangesOptions {
  /** Postgres to connect to, e.g. `postgres://app@db:5432/app`; the feed opens one connection of its own. */
  readonly connectionString?: string;
  /**
   * A `pg` Pool of the app's: the feed checks out one connection and keeps it for as long as it
   * runs (LISTEN needs a session), so the pool lends one connection fewer to the app.
   */
  readonly pool?: Pool;
  /** Makes a new, not yet connected `pg` Client each time the feed (re)connects; the feed connects and ends it. */
  readonly client?: () => Client | Promise<Client>;
  /** Tables whose writes invalidate `tableTag(name)` and `rowTag(name, pk)`, named as the tags should be (`'users'`, `'billing.invoices'`). Required. */
  readonly tables: readonly string[];
  /** Schema of the tables named without one, and of the log table. Default `'public'`. */
  readonly schema?: string;
  /** The change log table the triggers write to (optionally `schema.table`). Default `'hydracache_changes'`. */
  readonly logTable?: string;
  /** Milliseconds between reads of the log when no NOTIFY arrives (the fallback doorbell). Default 1 000. */
  readonly pollInterval?: number;
  /** Milliseconds a change stays in the log; older entries are pruned, and an instance further behind flushes its cache. Default 3 600 000 (1 h). */
  readonly retention?: number;
  /** A statement that touches more rows than this records its table alone (row tags collapse to the table tag). Default 1 000. */
  readonly maxRowsPerStatement?: number;
  /** Create (or update) the log table, function and triggers when connecting. Default true; false when a migration installed them ({@link postgresChangesSql}). */
  readonly install?: boolean;
  /** LISTEN for the NOTIFY doorbell. Default true; false behind a transaction-mode pooler (PgBouncer), where only polling works. */
  readonly listen?: boolean;
  /** Milliseconds one query of the feed may take before its connection is dropped and opened again. Default 5 000. */
  readonly queryTimeout?: number;
  /** Longest pause between reconnection attempts, in ms; attempts start at 50 ms and double. Default 2 000. */
  readonly maxReconnectDelay?: number;
}

/** Options of {@link postgresChangesSql}: what decides the SQL. */
export type PostgresChangesSqlOptions = Pick<
  PostgresChangesOptions,
  'tables' | 'schema' | 'logTable' | 'maxRowsPerStatement'
>;

/** One watched table: how the database names it and which tag name the user gave it. */
export interface WatchedTable {
  /** The name as given in `tables`, the one the tags use. */
  readonly tag: string;
  readonly schema: string;
  readonly name: string;
  /** `schema.name`, unquoted: how the log names the table. */
  readonly qualified: string;
}

/** The SQL-side names and limits, shared by the install SQL and the feed. */
export interface ResolvedSqlOptions {
  readonly tables: readonly WatchedTable[];
  readonly logSchema: string;
  readonly logName: string;
  readonly maxRowsPerStatement: number;
}

/** {@link PostgresChangesOptions} with defaults applied. */
export interface ResolvedPostgresChangesOptions extends ResolvedSqlOptions {
  readonly connectionString: string | undefined;
  readonly pool: Pool | undefined;
  readonly client: (() => Client | Promise<Client>) | undefined;
  readonly pollInterval: number;
  readonly retention: number;
  readonly install: boolean;
  readonly listen: boolean;
  readonly queryTimeout: number;
  readonly maxReconnectDelay: number;
}

const SQL_FIELDS = ['tables', 'schema', 'logTable', 'maxRowsPerStatement'] as const;
const FIELDS = [
  ...SQL_FIELDS,
  'connectionString',
  'pool',
  'client',
  'pollInterval',
  'retention',
  'install',
  'listen',
  'queryTimeout',
  'maxReconnectDelay',
] as const;

/** Validates the options of {@link postgresChanges} (E_INVALID_OPTION naming the field) and fills in the defaults. */
export function resolvePostgresChangesOptions(
  options: PostgresChangesOptions,
): ResolvedPostgresChangesOptions {
  const given = checkOptionFields<PostgresChangesOptions>(
    options,
    'postgresChanges options',
    FIELDS,
  );
  const sources = (['connectionString', 'pool', 'client'] as const).filter(
    (field) => given[field] !== undefined,
  );
  if (sources.length !== 1) {
    throw CacheErrors.invalidOption(
      'postgresChanges connectionString | pool | client',
      'exactly one of them',
      sources.length === 0 ? undefined : sources.join(' and '),
    );
  }
  if (given.connectionString !== undefined && typeof given.connectionString !== 'string') {
    throw CacheErrors.invalidOption(
      'postgresChanges connectionString',
      'a string',
      given.connectionString,
    );
  }
  if (given.pool !== undefined && typeof (given.pool as Partial<Pool>)?.connect !== 'function') {
    throw CacheErrors.invalidOption('postgresChanges pool', 'a pg Pool', given.pool);
  }
  if (given.client !== undefined && typeof given.client !== 'function') {
    throw CacheErrors.invalidOption(
      'postgresChanges client',
      'a function returning a new pg Client',
      given.client,
    );
  }
  return {
    ...resolveSql(given, 'postgresChanges'),
    connectionString: given.connectionString,
    pool: given.pool,
    client: given.client,
    pollInterval: millis(given.pollInterval, 'pollInterval', 1_000, 10),
    retention: millis(given.retention, 'retention', 3_600_000, 1_000),
    install: flag(given.install, 'install', true),
    listen: flag(given.listen, 'listen', true),
    queryTimeout: millis(given.queryTimeout, 'queryTimeout', 5_000, 100),
    maxReconnectDelay: millis(given.maxReconnectDelay, 'maxReconnectDelay', 2_000, 50),
  };
}

/** Validates the options of {@link postgresChangesSql}. */
export function resolvePostgresChangesSqlOptions(
  options: PostgresChangesSqlOptions,
): ResolvedSqlOptions {
  return resolveSql(
    checkOptionFields<PostgresChangesSqlOptions>(options, 'postgresChangesSql options', SQL_FIELDS),
    'postgresChangesSql',
  );
}

function resolveSql(given: PostgresChangesSqlOptions, what: string): ResolvedSqlOptions {
  const schema = given.schema === undefined ? 'public' : identifier(given.schema, `${what} schema`);
  if (!Array.isArray(given.tables) || given.tables.length === 0) {
    throw CacheErrors.invalidOption(
      `${what} tables`,
      'a non-empty array of table names',
      given.tables,
    );
  }
  const tables = given.tables.map((table) => watched(table, schema, `${what} tables`));
  const seen = new Set<string>();
  for (const table of tables) {
    if (seen.has(table.qualified)) {
      throw CacheErrors.invalidOption(`${what} tables`, 'each table once', table.tag);
    }
    seen.add(table.qualified);
  }
  const log = qualifiedName(given.logTable ?? 'hydracache_changes', schema, `${what} logTable`);
  // The derived names (`<log>_capture_<hash>`, `<log>_state`) must fit Postgres' 63 bytes.
  if (log.name.includes('$') || log.schema.includes('$')) {
    // The install SQL quotes function bodies with $hydracache$.
    throw CacheErrors.invalidOption(`${what} logTable`, 'a name without $', given.logTable);
  }
  if (log.name.length > 40) {
    throw CacheErrors.invalidOption(
      `${what} logTable`,
      'a table name of at most 40 characters',
      log.name,
    );
  }
  const max = given.maxRowsPerStatement;
  if (max !== undefined && (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0)) {
    throw CacheErrors.invalidOption(`${what} maxRowsPerStatement`, 'an integer >= 0', max);
  }
  return { tables, logSchema: log.schema, logName: log.name, maxRowsPerStatement: max ?? 1_000 };
}

function watched(table: unknown, schema: string, field: string): WatchedTable {
  if (typeof table !== 'string')
    throw CacheErrors.invalidOption(field, 'table names (strings)', table);
  tableName(table);
  const { schema: tableSchema, name } = qualifiedName(table, schema, field);
  return { tag: table, schema: tableSchema, name, qualified: `${tableSchema}.${name}` };
}

function qualifiedName(
  value: unknown,
  schema: string,
  field: string,
): { schema: string; name: string } {
  if (typeof value !== 'string') throw CacheErrors.invalidOption(field, 'a table name', value);
  const parts = value.split('.');
  if (parts.length > 2) throw CacheErrors.invalidOption(field, 'name or schema.name', value);
  const name = identifier(parts.at(-1), field);
  return { schema: parts.length === 2 ? identifier(parts[0], field) : schema, name };
}

function identifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 63 || value.includes('\0')) {
    throw CacheErrors.invalidOption(field, 'a Postgres name of 1 to 63 characters', value);
  }
  return value;
}

function millis(value: unknown, field: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw CacheErrors.invalidOption(
      `postgresChanges ${field}`,
      `an integer number of ms >= ${min}`,
      value,
    );
  }
  return value;
}

function flag(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw CacheErrors.invalidOption(`postgresChanges ${field}`, 'true or false', value);
  return value;
}
