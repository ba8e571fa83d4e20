import { Module } from '@nestjs/common';
import { HydraCacheModule } from '@hydracache/nestjs';
import { AdminModule } from './admin/admin.module.js';
import { AppConfig } from './config/app-config.js';
import { cacheOptionsFrom } from './config/cache-options.factory.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseConnection } from './database/database-connection.js';
import { DatabaseConnectionModule, DatabaseModule } from './database/database.module.js';
import { MonitoringModule } from './monitoring/monitoring.module.js';
import { StatsModule } from './stats/stats.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { UsersModule } from './users/users.module.js';

/** The sample app: one cache for the whole application, on TypeORM and Postgres, configured from the environment. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    HydraCacheModule.forRootAsync({
      // The connection alone: TypeORM itself needs the cache (its query cache lives in it).
      imports: [ConfigModule, DatabaseConnectionModule],
      inject: [AppConfig, DatabaseConnection],
      useFactory: cacheOptionsFrom,
    }),
    TenantsModule,
    UsersModule,
    StatsModule,
    MonitoringModule,
    AdminModule,
  ],
})
export class AppModule {}
