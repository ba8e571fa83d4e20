import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module.js';
import { FakeDatabase } from './fake-database.js';

/** Provides the shared {@link FakeDatabase}. */
@Module({
  imports: [ConfigModule],
  providers: [FakeDatabase],
  exports: [FakeDatabase],
})
export class DatabaseModule {}
