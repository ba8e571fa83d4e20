import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module.js';
import { FakeDatabase } from './fake-database.js';
import { Tables } from './tables.js';

/** Provides the shared {@link FakeDatabase} and the {@link Tables} its rows live in. */
@Module({
  imports: [ConfigModule],
  providers: [FakeDatabase, Tables],
  exports: [FakeDatabase, Tables],
})
export class DatabaseModule {}
