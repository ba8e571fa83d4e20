/**
 * `@hydracache/nestjs/postgres`: the Postgres change feed. A separate entry point so that apps
 * without Postgres never load `pg` (an optional peer dependency).
 */
import { installSql, removeSql } from './install-sql.js';
import { PostgresChangeFeed } from './postgres-change-feed.js';
import {
  resolvePostgresChangesOptions,
  resolvePostgresChangesSqlOptions,
  type PostgresChangesOptions,
  type PostgresChangesSqlOptions,
} from './postgres-changes.options.js';

export type {
  PostgresChangesOptions,
  PostgresChangesSqlOptions,
} from './postgres-changes.options.js';
export type { PostgresFeedEvent, PostgresFeedStats } from './feed-stats.js';
export { POSTGRES_FEED_CHANNEL } from './feed-stats.js';
export type { PostgresChangeFeed } from './postgres-change-feed.js';

/**
 * A source of changes that applies every committed write to `tables` (from any client: another
 * service, psql, a migration) to the cache as `tableTag`/`rowTag` invalidations. Pass it to
 * `HydraCache.local().changes(...)` or the module's `changes` setting; one per cache.
 */
export function postgresChanges(options: PostgresChangesOptions): PostgresChangeFeed {
  return new PostgresChangeFeed(resolvePostgresChangesOptions(options));
}

/** The SQL a migration runs to install the feed's log table, function and triggers, and to remove them. */
export interface PostgresChangesSql {
  /** Creates (or updates) the log, its state, and each table's capture function and triggers. Idempotent. */
  readonly install: string;
  /** Drops every capture function (and with them the triggers), the log and its state. */
  readonly remove: string;
}

/**
 * The install and removal SQL for `tables`, for a migration tool (TypeORM, psql `-1 -f`): pass
 * the same `tables`, `schema`, `logTable` and `maxRowsPerStatement` as to {@link postgresChanges},
 * and `install: false` there. Neither script opens a transaction of its own: run each in one.
 */
export function postgresChangesSql(options: PostgresChangesSqlOptions): PostgresChangesSql {
  const resolved = resolvePostgresChangesSqlOptions(options);
  return { install: installSql(resolved), remove: removeSql(resolved) };
}
