import { Global, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
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
class DatabaseConnectionModule {}

/** TypeORM on the sample's Postgres, with the users and tenants entities. */
@Module({
  imports: [
    DatabaseConnectionModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseConnection],
      useFactory: (db: DatabaseConnection) => ({
        type: 'postgres' as const,
        url: db.url,
        schema: db.schema,
        entities: [User, Tenant],
        // The tables are created by ensureSchema (idempotent, under a lock), never by TypeORM.
        synchronize: false,
        // A few connections: the embedded database queues them onto one session anyway.
        extra: { max: db.embedded ? 4 : 10 },
      }),
    }),
    TypeOrmModule.forFeature([User, Tenant]),
  ],
  exports: [DatabaseConnectionModule, TypeOrmModule],
})
export class DatabaseModule {}
