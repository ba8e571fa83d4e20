import 'reflect-metadata';
import { Controller, Get, Injectable, type INestApplication } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import request from 'supertest';
import { HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

@Injectable()
class Calls {
  count = 0;
}

@Controller('catalog')
class CatalogController {
  constructor(private readonly calls: Calls) {}

  @Get('opted-in')
  @CacheRoute({ ttl: 60_000 })
  optedIn() {
    return { calls: ++this.calls.count };
  }

  @Get('plain')
  plain() {
    return { calls: ++this.calls.count };
  }
}

/** Every route of the controller is cached; a route's own options win over the controller's. */
@Controller('static')
@CacheRoute({ ttl: 60_000, public: true })
class StaticController {
  constructor(private readonly calls: Calls) {}

  @Get('a')
  a() {
    return { calls: ++this.calls.count };
  }

  @Get('b')
  @CacheRoute({ ttl: 5_000 })
  b() {
    return { calls: ++this.calls.count };
  }
}

describe.each(ADAPTERS)('HydraCacheInterceptor as APP_INTERCEPTOR (%s)', (adapter) => {
  let app: INestApplication;
  let server: never;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [CatalogController, StaticController],
      providers: [Calls, { provide: APP_INTERCEPTOR, useClass: HydraCacheInterceptor }],
    });
    server = app.getHttpServer() as never;
  });

  afterEach(async () => {
    await app.close();
  });

  it('caches only the GET routes opted in with @CacheRoute', async () => {
    await request(server).get('/catalog/opted-in').expect(200);
    const hit = await request(server).get('/catalog/opted-in').expect(200);
    expect(hit.body).toEqual({ calls: 1 });
    await request(server).get('/catalog/plain').expect(200);
    const plain = await request(server).get('/catalog/plain').expect(200);
    expect(plain.body).toEqual({ calls: 3 });
    expect(plain.headers['cache-status']).toBeUndefined();
  });

  it('applies a controller-level @CacheRoute to every route, route options first', async () => {
    await request(server).get('/static/a').expect(200);
    const a = await request(server).get('/static/a').expect(200);
    expect(a.headers['cache-status']).toBe('hydracache; hit');
    expect(a.headers['cache-control']).toBe('public, max-age=60');
    const b = await request(server).get('/static/b').expect(200);
    expect(b.headers['cache-control']).toBe('public, max-age=5');
  });
});
