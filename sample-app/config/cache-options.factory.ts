import type { HydraCacheModuleOptions } from '@hydracache/nestjs';
import type { DatabaseConnection } from '../database/database-connection.js';
import { AppConfig } from './app-config.js';

/** Tables whose writes, from anywhere, invalidate what the cache holds of them. */
export const WATCHED_TABLES = ['users', 'tenants'];

/**
 * How often the change feed reads its log when no NOTIFY rings, in ms. PGlite cannot deliver
 * NOTIFY to another connection, so there polling is the doorbell: 50 ms (and no NOTIFY is sent).
 * A real Postgres rings at once; the poll is only the fallback for a lost doorbell.
 */
function pollInterval(db: DatabaseConnection): number {
  return db.pglite ? 50 : 1_000;
}

/**
 * Maps the app's configuration to HydraCache module options (used by `forRootAsync`): the cache
 * follows the database's change feed, so a write by anyone (another instance, psql, a migration)
 * drops what it changed; with `REDIS_URL` set, the cache also joins the other instances on the
 * Redis bus of `REDIS_CHANNEL`. The Postgres and Redis integrations (and pg, ioredis) are
 * imported only here, as an app that uses them would.
 */
export async function cacheOptionsFrom(
  config: AppConfig,
  db: DatabaseConnection,
): Promise<HydraCacheModuleOptions> {
  const { postgresChanges } = await import('@hydracache/nestjs/postgres');
  const changes = postgresChanges({
    connectionString: db.url,
    schema: db.schema,
    tables: WATCHED_TABLES,
    pollInterval: pollInterval(db),
    notify: !db.pglite,
  });
  const local = { defaultTtl: config.cacheTtlMs, maxCapacity: config.cacheMaxEntries, changes };
  if (config.redisUrl === undefined) return local;
  const { redisBus } = await import('@hydracache/nestjs/redis');
  const bus = redisBus({
    url: config.redisUrl,
    channel: config.redisChannel,
    ...(config.instanceName === undefined ? {} : { name: config.instanceName }),
  });
  return { ...local, bus };
}
