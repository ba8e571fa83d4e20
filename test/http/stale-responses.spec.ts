import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Param,
  ServiceUnavailableException,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { HydraCache, HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp, waitFor } from './support/http-app.js';

/** The report "database": counts queries and can be told to fail. */
@Injectable()
class Reports {
  queries = 0;
  version = 1;
  down = false;
}

@Controller('reports')
@UseInterceptors(HydraCacheInterceptor)
class ReportsController {
  constructor(private readonly reports: Reports) {}

  @Get(':id')
  @CacheRoute({
    ttl: 60_000,
    grace: 600_000,
    public: true,
    tags: (req) => `report:${req.params!.id}`,
  })
  find(@Param('id') id: string) {
    this.reports.queries++;
    if (this.reports.down) throw new ServiceUnavailableException('database down');
    return { id, version: this.reports.version };
  }
}

describe.each(ADAPTERS)('stale responses within grace (%s)', (adapter) => {
  let app: INestApplication;
  let reports: Reports;
  let cache: HydraCache;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [ReportsController],
      providers: [Reports],
    });
    reports = app.get(Reports);
    cache = app.get(HydraCache);
  });
  afterEach(async () => {
    await app.close();
  });

  const get = (path: string) => request(app.getHttpServer() as never).get(path);

  it('tells shared caches how long they may serve it stale', async () => {
    const miss = await get('/reports/1').expect(200);
    expect(miss.headers['cache-control']).toBe(
      'public, max-age=60, stale-while-revalidate=600, stale-if-error=600',
    );
  });

  it('serves the stale body at once and refreshes it in the background', async () => {
    await get('/reports/1').expect(200, { id: '1', version: 1 });
    reports.version = 2;
    expect(await cache.expireTag('report:1')).toBe(1);

    const stale = await get('/reports/1').expect(200, { id: '1', version: 1 });
    expect(stale.headers['cache-status']).toBe('hydracache; fwd=stale');
    expect(stale.headers['x-cache']).toBe('HIT');
    await waitFor(() => cache.stats().backgroundRefreshes === 1 && reports.queries === 2);
    // The refresh lands on its own; poll until the fresh body is what the cache holds.
    const deadline = Date.now() + 5_000;
    let fresh = await get('/reports/1');
    while (fresh.body.version !== 2 && Date.now() < deadline) fresh = await get('/reports/1');
    expect(fresh.body).toEqual({ id: '1', version: 2 });
    expect(fresh.headers['cache-status']).toBe('hydracache; hit');
  });

  it('serves the stale body instead of the handler error while the database is down', async () => {
    await get('/reports/2').expect(200, { id: '2', version: 1 });
    await cache.expireTag('report:2');
    reports.down = true;

    const failSafe = await get('/reports/2').expect(200, { id: '2', version: 1 });
    expect(failSafe.headers['cache-status']).toBe('hydracache; fwd=stale');
    // The failing handler rests for failSafeBackoff: the next request does not run it.
    await waitFor(() => cache.stats().failSafeActivations === 1);
    const queries = reports.queries;
    await get('/reports/2').expect(200, { id: '2', version: 1 });
    expect(reports.queries).toBe(queries);
  });

  it('never serves an invalidated response stale', async () => {
    await get('/reports/3').expect(200);
    await cache.invalidateTag('report:3');
    reports.down = true;
    await get('/reports/3').expect(503);
  });
});
