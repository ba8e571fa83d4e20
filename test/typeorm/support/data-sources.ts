import { createConnection as mysqlConnection } from 'mysql2/promise';
import pg from 'pg';
import { DataSource, type DataSourceOptions, type Logger } from 'typeorm';
import type { HydraCache } from '../../../lib/index.js';
import { hydraQueryCache, type HydraQueryCacheOptions } from '../../../lib/typeorm/index.js';
import { ENTITIES, Member, Team } from './entities.js';

/** The three databases the adapter is tested on (all real servers, SQLite in memory). */
export type Driver = 'postgres' | 'mariadb' | 'sqlite';
export const DRIVERS: readonly Driver[] = ['postgres', 'mariadb', 'sqlite'];

/** Records every statement TypeORM sends, to count the reads that reached the database. */
export class QueryLog implements Logger {
  readonly queries: string[] = [];

  /** SELECTs against the test tables (TypeORM's own catalogue reads left out). */
  selects(table?: string): number {
    return this.queries.filter(
      (q) =>
        q.trimStart().toUpperCase().startsWith('SELECT') &&
        (table === undefined ? /\b(team|member|audit)\b/.test(q) : q.includes(table)),
    ).length;
  }

  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A database of its own for one test file: created empty, dropped by {@link dropDatabase}. */
export async function createDatabase(driver: Driver, name: string): Promise<void> {
  if (driver === 'postgres') {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
  } else if (driver === 'mariadb') {
    const conn = await mysqlConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await conn.query(`DROP DATABASE IF EXISTS ${name}`);
    await conn.query(`CREATE DATABASE ${name}`);
    await conn.end();
  }
}

/** Drops what {@link createDatabase} made. */
export async function dropDatabase(driver: Driver, name: string): Promise<void> {
  if (driver === 'postgres') {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  } else if (driver === 'mariadb') {
    const conn = await mysqlConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await conn.query(`DROP DATABASE IF EXISTS ${name}`);
    await conn.end();
  }
}

/** Connection options of `driver` for database `name`, without entities or cache. */
export function connectionOptions(driver: Driver, name: string): DataSourceOptions {
  if (driver === 'postgres') {
    return {
      type: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      username: 'postgres',
      database: name,
    };
  }
  if (driver === 'mariadb') {
    return { type: 'mariadb', host: '127.0.0.1', port: 3306, username: 'root', database: name };
  }
  return { type: 'better-sqlite3', database: ':memory:' };
}

/** An initialized DataSource on a fresh schema whose `cache` is a HydraCache. */
export async function cachedDataSource(
  driver: Driver,
  name: string,
  cache: HydraCache,
  log: QueryLog,
  options: HydraQueryCacheOptions = {},
  extra: Partial<DataSourceOptions> = {},
): Promise<DataSource> {
  const dataSource = new DataSource({
    ...connectionOptions(driver, name),
    entities: ENTITIES,
    synchronize: true,
    dropSchema: true,
    logging: true,
    logger: log,
    cache: hydraQueryCache(cache, options),
    ...extra,
  } as DataSourceOptions);
  return dataSource.initialize();
}

/** A database name for one test file and driver, unique per process. */
export function databaseName(file: string, driver: Driver): string {
  return `hc_${file}_${driver}_${process.pid}`.replace(/[^a-z0-9_]/g, '_');
}

/** Seeds team `core` with members `ada` and `bob`, then forgets the seeding queries in `log`. */
export async function seedTeam(dataSource: DataSource, log: QueryLog): Promise<Team> {
  const team = await dataSource.getRepository(Team).save({ name: 'core' });
  await dataSource.getRepository(Member).save([
    { name: 'ada', team },
    { name: 'bob', team },
  ]);
  log.queries.length = 0;
  return team;
}
