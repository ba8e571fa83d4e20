import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HydraCache, type CacheStats } from '@hydracache/nestjs';
import { AppModule } from '../../sample-app/app.module.js';
import { AppConfig } from '../../sample-app/config/app-config.js';
import { QueryGate } from '../../sample-app/database/query-gate.js';
import { sampleSchema } from '../support/sample-database.js';

/** The sample app, as `npm start` serves it, on the machine's Postgres in a schema of its own. */
async function startSampleApp(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('sample app (HTTP, supertest)', () => {
  let app: INestApplication;
  let db: QueryGate;
  const http = () => request(app.getHttpServer());
  const stats = async (): Promise<CacheStats> => (await http().get('/cache/stats')).body.stats;

  let database: ReturnType<typeof sampleSchema>;

  beforeEach(async () => {
    database = sampleSchema();
    app = await startSampleApp(database.config({ dbLatencyMs: 20 }));
    db = app.get(QueryGate);
  });

  afterEach(async () => {
    await app.close();
    await database.drop();
  });

  it('answers a cold miss with one query and the warm hit from the cache', async () => {
    const cold = await http().get('/tenants/acme/users/1').expect(200);
    expect(cold.body).toMatchObject({ tenant: 'acme', id: 1, name: 'Ada Lovelace' });
    expect(db.queries).toBe(1);

    const warm = await http().get('/tenants/acme/users/1').expect(200);
    expect(warm.body).toEqual(cold.body);
    expect(db.queries).toBe(1);
    expect(await stats()).toMatchObject({ hits: 1, misses: 1, loads: 1, size: 1 });
  });

  it('keys users by tenant: the same id in another tenant is its own entry', async () => {
    const acme = await http().get('/tenants/acme/users/1').expect(200);
    const globex = await http().get('/tenants/globex/users/1').expect(200);
    expect(acme.body.email).toBe('ada@acme.example');
    expect(globex.body.email).toBe('ada@globex.example');
    expect(db.queries).toBe(2);
    expect((await stats()).size).toBe(2);
  });

  it('answers 200 concurrent requests for one cold key with one query', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => http().get('/tenants/acme/users/2')),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(200).fill(200));
    expect(new Set(replies.map((reply) => JSON.stringify(reply.body))).size).toBe(1);
    expect(db.queries).toBe(1);
    const after = await stats();
    expect(after.loads).toBe(1);
    expect(after.hits + after.singleFlightJoins).toBe(199);
  });

  it('invalidates by tag on PATCH: the user and the lists holding it reload', async () => {
    await http().get('/tenants/acme/users/1').expect(200);
    await http().get('/tenants/acme/users').expect(200);
    await http().get('/tenants/globex/users/1').expect(200);
    expect(db.queries).toBe(3);

    const patched = await http()
      .patch('/tenants/acme/users/1')
      .send({ name: 'Ada King' })
      .expect(200);
    expect(patched.body.name).toBe('Ada King');
    expect(db.queries).toBe(4);
    expect(await stats()).toMatchObject({ invalidations: 2, size: 1 });

    const reloaded = await http().get('/tenants/acme/users/1').expect(200);
    expect(reloaded.body.name).toBe('Ada King');
    const list = await http().get('/tenants/acme/users').expect(200);
    expect(list.body[0].name).toBe('Ada King');
    expect(db.queries).toBe(6);

    await http().get('/tenants/globex/users/1').expect(200);
    expect(db.queries).toBe(6);
  });

  it('answers a missing id with a 404 that is never cached', async () => {
    const first = await http().get('/tenants/acme/users/999').expect(404);
    expect(first.body.message).toBe('No user 999 in tenant "acme"');
    await http().get('/tenants/acme/users/999').expect(404);
    expect(db.queries).toBe(2);
    expect(await stats()).toMatchObject({ loads: 2, size: 0 });
  });

  it('rejects a bad PATCH body with a 400 and invalidates nothing', async () => {
    await http().get('/tenants/acme/users/1').expect(200);
    const reply = await http().patch('/tenants/acme/users/1').send({ role: 'admin' }).expect(400);
    expect(reply.body.message).toMatch(/Unknown field "role"/);
    await http().get('/tenants/acme/users/1').expect(200);
    expect(db.queries).toBe(1);
    expect((await stats()).invalidations).toBe(0);
  });

  it('caches tenants through a TypedCache and drops a whole tenant on PUT', async () => {
    const miss = await http()
      .get('/tenants/acme')
      .expect(200, { id: 'acme', name: 'Acme Corp', plan: 'enterprise' });
    expect(miss.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    const hit = await http().get('/tenants/acme').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    // The whole response is cached with an ETag: a revalidation is answered 304 from the cache.
    await http().get('/tenants/acme').set('If-None-Match', miss.headers.etag!).expect(304);
    await http().get('/tenants/acme/users/1').expect(200);
    await http().get('/tenants/globex/users/1').expect(200);
    expect(db.queries).toBe(3);
    expect(await app.get(HydraCache).containsKey('tenants:tenant:acme')).toBe(true);

    await http().put('/tenants/acme').send({ name: 'Acme Inc', plan: 'team' }).expect(200);
    // The tenant entry, its cached response and its user went; the other tenant's user stayed.
    expect(await stats()).toMatchObject({ invalidations: 3, size: 1 });
    await http().get('/tenants/acme').expect(200, { id: 'acme', name: 'Acme Inc', plan: 'team' });
    await http().get('/tenants/globex/users/1').expect(200);
    expect(db.queries).toBe(5);
  });

  it('reports the cache stats and diagnostics at GET /cache/stats', async () => {
    await http().get('/tenants/acme/users/1').expect(200);
    const reply = await http().get('/cache/stats').expect(200);
    expect(reply.body).toEqual({
      stats: {
        hits: 0,
        misses: 1,
        loads: 1,
        singleFlightJoins: 0,
        staleLoadDiscards: 0,
        invalidations: 0,
        evictions: 0,
        staleHits: 0,
        backgroundRefreshes: 0,
        failSafeActivations: 0,
        softTimeouts: 0,
        hardTimeouts: 0,
        size: 1,
      },
      diagnostics: { entries: 1, indexedTags: 2, inFlightLoads: 0, tagGenerations: 0 },
      remoteChanges: 0,
    });
    await http().get('/db/stats').expect(200, { queries: 1 });
  });
});

describe('sample app configuration', () => {
  it('has sane defaults', () => {
    expect(AppConfig.fromEnv({})).toEqual(new AppConfig(3000, 60_000, 1_000, 40));
  });

  it('reads PORT, CACHE_TTL_MS, CACHE_MAX_ENTRIES and DB_LATENCY_MS', () => {
    const env = { PORT: '0', CACHE_TTL_MS: '5000', CACHE_MAX_ENTRIES: '50', DB_LATENCY_MS: '0' };
    expect(AppConfig.fromEnv(env)).toEqual(new AppConfig(0, 5000, 50, 0));
  });

  it('reports every invalid variable at once', () => {
    expect(() =>
      AppConfig.fromEnv({ PORT: '70000', CACHE_TTL_MS: 'soon', CACHE_MAX_ENTRIES: '0' }),
    ).toThrow(
      'Invalid configuration: PORT must be an integer 0..65535 (TCP port), got "70000"; ' +
        'CACHE_TTL_MS must be an integer >= 1 (milliseconds), got "soon"; ' +
        'CACHE_MAX_ENTRIES must be an integer >= 1 (entries), got "0".',
    );
  });

  it('fails the bootstrap when a variable is invalid', async () => {
    const saved = process.env.CACHE_MAX_ENTRIES;
    process.env.CACHE_MAX_ENTRIES = 'lots';
    try {
      await expect(Test.createTestingModule({ imports: [AppModule] }).compile()).rejects.toThrow(
        'CACHE_MAX_ENTRIES must be an integer >= 1 (entries), got "lots"',
      );
    } finally {
      if (saved === undefined) delete process.env.CACHE_MAX_ENTRIES;
      else process.env.CACHE_MAX_ENTRIES = saved;
    }
  });

  it('passes the TTL and capacity to HydraCacheModule.forRootAsync', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(new AppConfig(0, 60_000, 2, 0))
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      for (const id of [1, 2, 3])
        await request(app.getHttpServer()).get(`/tenants/acme/users/${id}`);
      const { stats } = (await request(app.getHttpServer()).get('/cache/stats')).body;
      expect(stats).toMatchObject({ size: 2, evictions: 1 });
    } finally {
      await app.close();
    }
  });
});
