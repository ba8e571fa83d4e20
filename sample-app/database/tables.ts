import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { RedisTable } from './redis-table.js';
import { MemoryTable, type Table, type TableSpec } from './table.js';

/**
 * Opens the fake database's tables: in this process's memory, or with `REDIS_URL` set in Redis
 * hashes under `DB_NAMESPACE`, shared by every instance. Closes its Redis connection on shutdown.
 */
@Injectable()
export class Tables implements OnApplicationShutdown {
  #redis: Promise<Redis> | undefined;

  constructor(private readonly config: AppConfig) {}

  /** The table `spec` names, seeded with its rows the first time any instance opens it. */
  open<T>(spec: TableSpec<T>): Table<T> {
    const url = this.config.redisUrl;
    if (url === undefined) return new MemoryTable(spec);
    const namespace = this.config.dbNamespace;
    return lazyTable(async () => new RedisTable(await this.#client(url), namespace, spec));
  }

  async onApplicationShutdown(): Promise<void> {
    const redis = await this.#redis;
    redis?.disconnect();
  }

  #client(url: string): Promise<Redis> {
    // ioredis is loaded only when the app shares its rows, like the cache's Redis transport.
    this.#redis ??= import('ioredis').then(
      ({ Redis }) =>
        new Redis(url, {
          connectionName: `hydracache-sample:db:${this.config.instanceName ?? process.pid}`,
          lazyConnect: true,
          // A query fails within a couple of seconds when Redis is away, instead of queueing.
          maxRetriesPerRequest: 1,
          commandTimeout: 2_000,
        }),
    );
    return this.#redis;
  }
}

/** A table whose backing store is created on first use (the Redis client loads asynchronously). */
function lazyTable<T>(create: () => Promise<Table<T>>): Table<T> {
  let table: Promise<Table<T>> | undefined;
  const ready = (): Promise<Table<T>> => (table ??= create());
  return {
    get: async (id) => (await ready()).get(id),
    values: async () => (await ready()).values(),
    set: async (id, row) => (await ready()).set(id, row),
  };
}
