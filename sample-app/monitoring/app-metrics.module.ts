import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/**
 * The app's meter provider, read by a Prometheus exporter that starts no server of its own
 * (`GET /metrics` serves it instead). One per application.
 */
export class AppMetrics {
  readonly exporter = new PrometheusExporter({ preventServerStart: true });
  readonly meterProvider = new MeterProvider({ readers: [this.exporter] });
}

/** Provides the application's one {@link AppMetrics} and shuts it down with the application. */
@Module({
  providers: [{ provide: AppMetrics, useFactory: () => new AppMetrics() }],
  exports: [AppMetrics],
})
export class AppMetricsModule implements OnApplicationShutdown {
  constructor(private readonly metrics: AppMetrics) {}

  /** Releases the meter provider. */
  async onApplicationShutdown(): Promise<void> {
    await this.metrics.meterProvider.shutdown();
  }
}
