import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { AdminController } from './admin.controller.js';

/** Operator switches: the database's simulated fault, and expiring a cache entry by key. */
@Module({
  imports: [DatabaseModule],
  controllers: [AdminController],
})
export class AdminModule {}
