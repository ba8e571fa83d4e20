import type { DataSource } from 'typeorm';
import { TypeOrmCacheErrors } from './typeorm.errors.js';

/** The part of node-sql-parser's Parser the adapter uses. */
export interface TableListParser {
  tableList(sql: string, options: { database: string }): string[];
}

/** How to parse one DataSource's SQL: the parser's dialect, and the qualifier its unqualified names mean. */
export interface SqlDialect {
  /** node-sql-parser's name for the dialect (its `database` option). */
  readonly database: string;
  /** The file under node-sql-parser/build/ holding only this dialect's grammar. */
  readonly build: string;
  /** The schema or database that unqualified table names resolve to, dropped from tags. */
  readonly defaultQualifier: string | undefined;
}

const POSTGRES = { database: 'PostgresQL', build: 'postgresql' };
const MYSQL = { database: 'MySQL', build: 'mysql' };
const MARIADB = { database: 'MariaDB', build: 'mariadb' };
const SQLITE = { database: 'Sqlite', build: 'sqlite' };

/** Driver types (TypeORM's `type` option) whose SQL the adapter parses, by dialect. */
const BY_DRIVER: Readonly<Record<string, { database: string; build: string }>> = {
  postgres: POSTGRES,
  'aurora-postgres': POSTGRES,
  cockroachdb: POSTGRES,
  mysql: MYSQL,
  'aurora-mysql': MYSQL,
  mariadb: MARIADB,
  sqlite: SQLITE,
  'better-sqlite3': SQLITE,
  sqljs: SQLITE,
  capacitor: SQLITE,
  cordova: SQLITE,
  expo: SQLITE,
  'react-native': SQLITE,
  nativescript: SQLITE,
};

/** The dialect of `dataSource`'s driver; E_TYPEORM_DIALECT for a driver whose SQL cannot be parsed. */
export function dialectOf(dataSource: DataSource): SqlDialect {
  const options = dataSource.options as { type: string; schema?: string; database?: unknown };
  const dialect = BY_DRIVER[options.type];
  if (dialect === undefined) throw TypeOrmCacheErrors.dialect(options.type, Object.keys(BY_DRIVER));
  return { ...dialect, defaultQualifier: defaultQualifier(dialect, options) };
}

function defaultQualifier(
  dialect: { database: string },
  options: { schema?: string; database?: unknown },
): string | undefined {
  if (dialect === POSTGRES) return options.schema ?? 'public';
  if (dialect === SQLITE) return 'main';
  return typeof options.database === 'string' ? options.database : undefined;
}

/**
 * Loads only `dialect`'s grammar (each is ~1 MB; the package's main file holds all of them).
 * E_TYPEORM_PARSER when node-sql-parser is not installed.
 */
export async function loadParser(dialect: SqlDialect): Promise<TableListParser> {
  let loaded: { Parser?: ParserClass; default?: { Parser?: ParserClass } };
  try {
    loaded = (await import(`node-sql-parser/build/${dialect.build}.js`)) as typeof loaded;
  } catch (cause) {
    throw TypeOrmCacheErrors.parser(cause);
  }
  const Parser = loaded.Parser ?? loaded.default?.Parser;
  if (Parser === undefined) throw TypeOrmCacheErrors.parser(new Error('no Parser export'));
  return new Parser();
}

type ParserClass = new () => TableListParser;
