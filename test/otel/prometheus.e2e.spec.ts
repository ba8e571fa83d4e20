import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Param,
  Req,
  Res,
  type INestApplication,
} from '@nestjs/common';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import request from 'supertest';
import { Cached, HydraCacheModule } from '../../lib/index.js';
import { HydraCacheInstrumentation, HydraCacheOtelModule } from '../../lib/otel/index.js';
import { startApp } from '../support/nest-app.js';

// --- The documented setup (docs/monitoring.md): an exporter without its own server, a meter
// provider reading from it, the instrumentation module, and a /metrics route.
const exporter = new PrometheusExporter({ preventServerStart: true });
const meterProvider = new MeterProvider({ readers: [exporter] });

@Controller('metrics')
class MetricsController {
  @Get()
  scrape(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    exporter.getMetricsRequestHandler(req, res);
  }
}
// ---

@Injectable()
class UsersService {
  loads = 0;

  @Cached({ key: (id: string) => `user:${id}` })
  async find(id: string): Promise<{ id: string; load: number }> {
    return { id, load: ++this.loads };
  }
}

@Controller('users')
class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get(':id')
  get(@Param('id') id: string): Promise<object> {
    return this.users.find(id);
  }
}

@Module({
  imports: [
    HydraCacheModule.forRoot({ maxCapacity: 100 }),
    HydraCacheOtelModule.forRoot({ meterProvider, tracing: false }),
  ],
  controllers: [MetricsController, UsersController],
  providers: [UsersService],
})
class AppModule {}

/** The value of the sample `metric{labels}` in a Prometheus text scrape, or undefined. */
function sample(
  scrape: string,
  metric: string,
  labels: Record<string, string>,
): number | undefined {
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const text = line.slice(metric.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries(
      [...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as const),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('Prometheus /metrics through the OpenTelemetry exporter', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startApp({ imports: [AppModule] });
  });
  afterAll(async () => {
    await app.close();
    await meterProvider.shutdown();
  });

  it('serves the cache metrics a scripted workload produced, ready for a hit-ratio query', async () => {
    for (const id of ['1', '1', '1', '2', '1']) {
      await request(app.getHttpServer()).get(`/users/${id}`).expect(200);
    }
    const scrape = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/);
    const text = scrape.text;

    const gets = (result: string): number | undefined =>
      sample(text, 'hydracache_cache_gets_total', {
        cache_name: 'default',
        cache_namespace: 'user',
        cache_result: result,
        cache_tier: 'memory',
      });
    expect(gets('hit')).toBe(3);
    expect(gets('miss')).toBe(2);
    expect(text).toContain('# TYPE hydracache_cache_gets_total counter');
    expect(
      sample(text, 'hydracache_cache_load_duration_count', {
        cache_name: 'default',
        cache_load_outcome: 'success',
      }),
    ).toBe(2);
    expect(sample(text, 'hydracache_cache_size', { cache_name: 'default' })).toBe(2);
    expect(sample(text, 'hydracache_cache_capacity', { cache_name: 'default' })).toBe(100);
  });

  it('stops recording when the application shuts down', async () => {
    const instrumentation = app.get(HydraCacheInstrumentation);
    expect(instrumentation.enabled).toBe(true);
    await app.close();
    expect(instrumentation.enabled).toBe(false);
  });
});
