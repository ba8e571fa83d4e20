import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../sample-app/app.module.js';
import { AppConfig } from '../../sample-app/config/app-config.js';
import { hitRatioFromScrape } from '../../sample-app/monitoring/hit-ratio.js';

describe('sample app monitoring: /metrics and /health', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(new AppConfig(0, 60_000, 1_000, 20))
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    await app.close();
  });

  it('serves the hit ratio of the requests made so far on /metrics', async () => {
    expect(hitRatioFromScrape((await http().get('/metrics').expect(200)).text)).toBeUndefined();
    for (let i = 0; i < 4; i++) await http().get('/tenants/acme/users/1').expect(200);
    const scrape = (await http().get('/metrics').expect(200)).text;
    expect(hitRatioFromScrape(scrape)).toBe(3 / 4);
    expect(scrape).toMatch(/^hydracache_cache_size\{cache_name="default"[^}]*\} 1$/m);
  });

  it('reports the cache on /health', async () => {
    const res = await http().get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { cache: { status: 'up', name: 'default', size: 0, capacity: 1_000 } },
    });
  });
});
