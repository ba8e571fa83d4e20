import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { CacheStats } from '@hydracache/nestjs';
import { AppModule } from '../../sample-app/app.module.js';
import { AppConfig } from '../../sample-app/config/app-config.js';
import { QueryGate } from '../../sample-app/database/query-gate.js';
import { USER_READ_RESILIENCE } from '../../sample-app/users/user-resilience.js';
import { pollUntil } from '../support/poll.js';
import { sampleSchema } from '../support/sample-database.js';

const USER_1 = '/tenants/acme/users/1';
const USER_1_KEY = 'users:tenant:acme:user:1';

/** The sample app with a 5 ms database round trip and the default 60 s TTL, in its own schema. */
async function startSampleApp(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('sample app: a database outage (admin switch, fail-safe over HTTP)', () => {
  let app: INestApplication;
  let db: QueryGate;
  const http = () => request(app.getHttpServer());
  const stats = async (): Promise<CacheStats> => (await http().get('/cache/stats')).body.stats;
  const setFault = (fault: string) => http().put('/admin/database').send({ fault });

  let database: ReturnType<typeof sampleSchema>;

  beforeEach(async () => {
    database = sampleSchema();
    app = await startSampleApp(database.config({ dbLatencyMs: 5 }));
    db = app.get(QueryGate);
  });

  afterEach(async () => {
    jest.useRealTimers();
    await app.close();
    await database.drop();
  });

  it('switches the fault at PUT /admin/database and refuses a bad body with a 400', async () => {
    expect((await http().get('/admin/database').expect(200)).body).toEqual({
      fault: 'none',
      stalledQueries: 0,
    });
    expect((await setFault('fail').expect(200)).body).toEqual({ fault: 'fail', stalledQueries: 0 });
    expect(db.fault).toBe('fail');

    const bad = await setFault('down').expect(400);
    expect(bad.body.message).toBe('fault must be one of none, fail, stall, got "down"');
    const extra = await http().put('/admin/database').send({ fault: 'none', ms: 5 }).expect(400);
    expect(extra.body.message).toBe('Unknown field "ms": expected only fault');
    await http().put('/admin/database').send({}).expect(400);
    expect(db.fault).toBe('fail');

    await http().post('/admin/cache/expire').send({ key: '' }).expect(400);
  });

  it('reads DB_FAULT at start and refuses an unknown fault', () => {
    expect(AppConfig.fromEnv({}).dbFault).toBe('none');
    expect(AppConfig.fromEnv({ DB_FAULT: 'stall' }).dbFault).toBe('stall');
    expect(() => AppConfig.fromEnv({ DB_FAULT: 'slow' })).toThrow(
      'DB_FAULT must be one of none, fail, stall, got "slow"',
    );
  });

  it('serves the stale user while the database fails, rests the loader, then reads fresh', async () => {
    // Only Date is faked (frozen, moved by hand): HTTP, sockets and timers run for real.
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const warm = await http().get(USER_1).expect(200);
    expect(db.queries).toBe(1);

    await setFault('fail').expect(200);
    // Nothing cached for this user: the database's error reaches the caller.
    await http().get('/tenants/acme/users/3').expect(503);
    expect(db.queries).toBe(2);

    const expired = await http().post('/admin/cache/expire').send({ key: USER_1_KEY }).expect(200);
    expect(expired.body).toEqual({ key: USER_1_KEY, expired: 1 });

    // Expired and the database down: fail-safe answers with the stale user, not a 503.
    const outage = await http().get(USER_1).expect(200);
    expect(outage.body).toEqual(warm.body);
    expect(db.queries).toBe(3);
    expect(await stats()).toMatchObject({ failSafeActivations: 1 });

    // During failSafeBackoff the database is not asked again, even once it is back.
    await http().get(USER_1).expect(200);
    await setFault('none').expect(200);
    await http().get(USER_1).expect(200);
    expect(db.queries).toBe(3);
    expect(await stats()).toMatchObject({ failSafeActivations: 1, staleHits: 3 });

    // Past the backoff the next read refreshes (within the soft timeout) and stores a fresh user.
    jest.setSystemTime(Date.now() + USER_READ_RESILIENCE.failSafeBackoff);
    const fresh = await http().get(USER_1).expect(200);
    expect(fresh.body).toEqual(warm.body);
    expect(db.queries).toBe(4);
    const cached = await http().get(`/cache/contains?key=${USER_1_KEY}`).expect(200);
    expect(cached.body.cached).toBe(true);
    await http().get(USER_1).expect(200);
    expect(db.queries).toBe(4);
  });

  it('answers a stalled read with the stale user after the soft timeout, then releases the load', async () => {
    const warm = await http().get(USER_1).expect(200);
    await http().post('/admin/cache/expire').send({ key: USER_1_KEY }).expect(200);
    await setFault('stall').expect(200);

    const stalled = await http().get(USER_1).expect(200);
    expect(stalled.body).toEqual(warm.body);
    expect(db.stalledQueries).toBe(1);
    expect(await stats()).toMatchObject({ softTimeouts: 1 });

    // The held query hits hardTimeout: the load is released and fail-safe counts an activation.
    await pollUntil(
      async () => (await stats()).hardTimeouts === 1,
      'the hard timeout of the stalled load',
    );
    expect(await stats()).toMatchObject({ failSafeActivations: 1 });

    await setFault('none').expect(200);
    expect(db.stalledQueries).toBe(0);
    expect((await http().get('/cache/stats').expect(200)).body.diagnostics.inFlightLoads).toBe(0);
  });

  it('fails a stalled read of an uncached user after hardTimeout instead of hanging', async () => {
    await setFault('stall').expect(200);
    const reply = await http().get(USER_1);
    expect(reply.status).toBe(500);
    expect(await stats()).toMatchObject({ hardTimeouts: 1 });
    expect(db.stalledQueries).toBe(1);
  });
});
