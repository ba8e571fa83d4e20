import { Global, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HydraCache } from '@hydracache/nestjs';
import { hydraQueryCache } from '@hydracache/nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { Tenant } from '../tenants/tenant.js';
import { User } from '../users/user.js';
import { DatabaseConnection } from './database-connection.js';
import { QueryGate } from './query-gate.js';

/** The connection's provider, shared by TypeORM and the cache's change feed. */
const connection = {
  provide: DatabaseConnection,
  inject: [AppConfig, ModuleRef],
  useFactory: (config: AppConfig, moduleRef: ModuleRef) =>
    DatabaseConnection.open(config, moduleRef),
};

/** Opens the database once for the app; provides it, TypeORM's repositories and the {@link QueryGate}. */
@Global()
@Module({
  imports: [ConfigModule],
  providers: [connection, QueryGate],
  exports: [DatabaseConnection, QueryGate],
})
export class DatabaseConnectionModule {}

/**
 * TypeORM on the sample's Postgres, with the users and tenants entities. Queries marked `cache`
 * are cached in the app's HydraCache (`hydraQueryCache`), tagged by the tables they read, so the
 * change feed and TypeORM's own writes drop them.
 */
@Module({
  imports: [
    DatabaseConnectionModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseConnection, HydraCache],
      useFactory: (db: DatabaseConnection, cache: HydraCache) => ({
        type: 'postgres' as const,
        url: db.url,
        entities: [User, Tenant],
        // The tables are created by ensureSchema (idempotent, under a lock), never by TypeORM.
        synchronize: false,
        cache: hydraQueryCache(cache, { duration: 60_000 }),
        extra: {
          // A few connections on PGlite: it queues them onto one session anyway.
          max: db.pglite ? 4 : 10,
          // The schema through search_path, not TypeORM's `schema`: its SQL then names tables as
          // `users`, the name the change feed tags them with (`tableTag('users')`).
          ...(db.schema === 'public' ? {} : { options: `-c search_path=${db.schema}` }),
        },
      }),
    }),
    TypeOrmModule.forFeature([User, Tenant]),
  ],
  exports: [DatabaseConnectionModule, TypeOrmModule],
})
export class DatabaseModule {}
