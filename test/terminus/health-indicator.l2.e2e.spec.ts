import 'reflect-metadata';
import { Controller, Get, Inject, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { HydraCache, HydraCacheModule } from '../../lib/index.js';
import { HydraCacheHealthIndicator } from '../../lib/terminus/index.js';
import { MemoryTier } from '../support/memory-tier.js';
import { startApp } from '../support/nest-app.js';

@Controller('health')
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HydraCacheHealthIndicator) private readonly cache: HydraCacheHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.cache.isHealthy('cache')]);
  }
}

describe('terminus health indicator with a second tier (module option l2)', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reports the tier trusted, then untrusted (still up) after it missed an invalidation', async () => {
    const tier = new MemoryTier();
    app = await startApp({
      imports: [TerminusModule.forRoot({ logger: false }), HydraCacheModule.forRoot({ l2: tier })],
      controllers: [HealthController],
      providers: [HydraCacheHealthIndicator],
    });
    const cache = app.get(HydraCache);
    await cache.getOrLoad('k', {}, () => 1);
    let res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info.cache.l2).toEqual({
      trusted: true,
      pendingInvalidations: 0,
      hits: 0,
      misses: 1,
      errors: 0,
      timeouts: 0,
    });
    tier.failing = true;
    await cache.invalidateTag('t');
    res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info.cache).toMatchObject({
      status: 'up',
      l2: { trusted: false, pendingInvalidations: 1, errors: 1 },
    });
    tier.failing = false;
  });
});
