import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { BusStatusLogger } from './bus-status.logger.js';
import { RemoteChangesCounter } from './remote-changes.counter.js';
import { StatsController } from './stats.controller.js';

/** Exposes the cache's and the database's counters; logs whether the bus is on. */
@Module({
  imports: [ConfigModule, DatabaseModule],
  controllers: [StatsController],
  providers: [BusStatusLogger, RemoteChangesCounter],
})
export class StatsModule {}
