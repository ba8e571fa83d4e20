import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { StatsController } from './stats.controller.js';

/** Exposes the cache's and the database's counters. */
@Module({
  imports: [DatabaseModule],
  controllers: [StatsController],
})
export class StatsModule {}
