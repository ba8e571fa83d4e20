import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { HydraCacheHealthIndicator } from '@hydracache/nestjs/terminus';
import { AppMetrics } from './app-metrics.module.js';

/** `GET /metrics` (Prometheus text format) and `GET /health` (terminus). */
@Controller()
export class MonitoringController {
  constructor(
    private readonly metrics: AppMetrics,
    private readonly health: HealthCheckService,
    private readonly cache: HydraCacheHealthIndicator,
  ) {}

  @Get('metrics')
  scrape(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.metrics.exporter.getMetricsRequestHandler(req, res);
  }

  @Get('health')
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.cache.isHealthy('cache')]);
  }
}
