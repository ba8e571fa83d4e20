import { jest } from '@jest/globals';
import 'reflect-metadata';
import { Controller, Get, Inject, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { HydraCache, HydraCacheModule, MemoryBusHub } from '../../lib/index.js';
import { HydraCacheHealthIndicator } from '../../lib/terminus/index.js';
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

  @Get('strict')
  @HealthCheck()
  strict() {
    return this.health.check([() => this.cache.isHealthy('cache', { busDown: 'down' })]);
  }

  @Get('lenient')
  @HealthCheck()
  lenient() {
    return this.health.check([() => this.cache.isHealthy('cache', { busDown: 'up' })]);
  }
}

function appWith(settings: object): Promise<INestApplication> {
  return startApp({
    imports: [
      TerminusModule.forRoot({ logger: false }),
      HydraCacheModule.forRoot({ maxCapacity: 50, ...settings }),
    ],
    controllers: [HealthController],
    providers: [HydraCacheHealthIndicator],
  });
}

describe('terminus health indicator', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reports a local cache up with its name, size and capacity', async () => {
    app = await appWith({});
    await app.get(HydraCache).put('user:1', 'Ada');
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { cache: { status: 'up', name: 'default', size: 1, capacity: 50 } },
    });
    expect(res.body.info.cache.bus).toBeUndefined();
  });

  it('reports the bus while connected, degraded (200) when it goes down, down (503) when asked', async () => {
    const hub = new MemoryBusHub();
    const transport = hub.transport();
    app = await appWith({ bus: { transport, onWarn: () => undefined } });
    const server = app.getHttpServer();

    const up = await request(server).get('/health').expect(200);
    expect(up.body.info.cache).toMatchObject({
      status: 'up',
      bus: { transport: 'memory', connected: true, disconnects: 0, retryQueueSize: 0 },
    });

    transport.goOffline();
    await app.get(HydraCache).invalidateKey('user:1'); // cannot be sent: waits in the retry queue
    const degraded = await request(server).get('/health').expect(200);
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      info: {
        cache: {
          status: 'degraded',
          message: 'The cache bus is disconnected.',
          bus: { connected: false, disconnects: 1, retryQueueSize: 1 },
        },
      },
    });

    const strict = await request(server).get('/health/strict').expect(503);
    expect(strict.body).toMatchObject({
      status: 'error',
      error: { cache: { status: 'down', bus: { connected: false } } },
    });
    const lenient = await request(server).get('/health/lenient').expect(200);
    expect(lenient.body).toMatchObject({ status: 'ok', info: { cache: { status: 'up' } } });

    const reconnectAt = Date.parse('2030-01-01T00:00:00.000Z');
    const clock = jest.spyOn(Date, 'now').mockReturnValue(reconnectAt);
    try {
      transport.goOnline();
    } finally {
      clock.mockRestore();
    }
    const back = await request(server).get('/health').expect(200);
    expect(back.body).toMatchObject({
      status: 'ok',
      info: {
        cache: {
          status: 'up',
          bus: { connected: true, gapsDetected: 0, lastConnectedAt: '2030-01-01T00:00:00.000Z' },
        },
      },
    });
  });

  it('refuses an unknown busDown with E_INVALID_OPTION', async () => {
    app = await appWith({});
    expect(() =>
      app!.get(HydraCacheHealthIndicator).isHealthy('cache', { busDown: 'maybe' as never }),
    ).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });
});
