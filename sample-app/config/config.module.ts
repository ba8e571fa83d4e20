import { Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';

/** Provides {@link AppConfig}, read from `process.env` when the application starts. */
@Module({
  providers: [{ provide: AppConfig, useFactory: () => AppConfig.fromEnv() }],
  exports: [AppConfig],
})
export class ConfigModule {}
