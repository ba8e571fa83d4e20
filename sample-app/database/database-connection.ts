import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HydraCache } from '@hydracache/nestjs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { ensureSchema } from './schema.js';

/** Where the sample's tables live: `DATABASE_URL`, or a Postgres embedded in this process. */
@Injectable()
export class DatabaseConnection implements OnApplicationShutdown {
  constructor(
    /** The `postgres://` URL of the database. */
    readonly url: string,
    /** The schema holding the tables (`DB_SCHEMA`, default `public`). */
    readonly schema: string,
    /** True when the database is PGlite in this process (no `DATABASE_URL`). */
    readonly embedded: boolean,
    /**
     * True when the server is PGlite, here or in another process (`npm run demo:cluster` serves one
     * to its instances): its NOTIFY reaches no other connection, so the change feed must poll.
     */
    readonly pglite: boolean,
    private readonly server: EmbeddedPostgres | undefined,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Opens the configured database (starting the embedded one if needed) and creates the tables. */
  static async open(config: AppConfig, moduleRef: ModuleRef): Promise<DatabaseConnection> {
    const server = config.databaseUrl === undefined ? await startEmbeddedPostgres() : undefined;
    const url = config.databaseUrl ?? server!.url;
    let pglite: boolean;
    try {
      pglite = await ensureSchema(url, config.dbSchema);
    } catch (error) {
      await server?.stop();
      throw error;
    }
    const embedded = server !== undefined;
    return new DatabaseConnection(url, config.dbSchema, embedded, pglite, server, moduleRef);
  }

  /**
   * Shuts down in dependency order whatever the order of Nest's hooks: the cache (its change
   * feed reads this database), then TypeORM's pool, then the embedded server. Each step is safe
   * to repeat when its own module's hook runs it again.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.moduleRef.get(HydraCache, { strict: false }).close();
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.server?.stop();
  }
}
