import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HydraCacheOtelModule } from '@hydracache/nestjs/otel';
import { HydraCacheHealthIndicator } from '@hydracache/nestjs/terminus';
import { AppMetrics, AppMetricsModule } from './app-metrics.module.js';
import { MonitoringController } from './monitoring.controller.js';

/** Cache metrics on `GET /metrics` (OpenTelemetry, Prometheus format) and health on `GET /health`. */
@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    AppMetricsModule,
    HydraCacheOtelModule.forRootAsync({
      imports: [AppMetricsModule],
      inject: [AppMetrics],
      useFactory: (metrics: AppMetrics) => ({ meterProvider: metrics.meterProvider }),
    }),
  ],
  controllers: [MonitoringController],
  providers: [HydraCacheHealthIndicator],
})
export class MonitoringModule {}
