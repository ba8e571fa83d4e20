import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HydraCache } from '@hydracache/nestjs';
import { AppModule } from '../../sample-app/app.module.js';
import { AppConfig } from '../../sample-app/config/app-config.js';
import { pollUntil } from '../support/poll.js';
import { runSql, sampleSchema } from '../support/sample-database.js';

/** `GET /tenants/:tenant/users/count`: TypeORM's `cache` option, served from HydraCache. */
describe('sample app: a count cached by TypeORM (hydraQueryCache)', () => {
  let app: INestApplication;
  let database: ReturnType<typeof sampleSchema>;
  const count = async (): Promise<number> =>
    (await request(app.getHttpServer()).get('/tenants/acme/users/count').expect(200)).body.users;
  const loads = (): number => app.get(HydraCache).stats().loads;

  beforeEach(async () => {
    database = sampleSchema();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(database.config())
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterEach(async () => {
    await app.close();
    await database.drop();
  });

  it('loads the count once through HydraCache, then answers it from there', async () => {
    const before = loads();
    expect(await count()).toBe(5);
    expect(loads()).toBe(before + 1); // The miss: TypeORM's query ran as a HydraCache load.
    expect(await count()).toBe(5);
    expect(loads()).toBe(before + 1); // The hit: no query.
  });

  it('an INSERT from psql drops the cached count (the change feed invalidates table:users)', async () => {
    expect(await count()).toBe(5);
    await runSql(
      `INSERT INTO users (tenant, id, name, email) VALUES ('acme', 6, 'Frances Allen', 'f@acme.example')`,
      database.schema,
    );
    await pollUntil(async () => (await count()) === 6, 'the count to see the psql insert');
  });

  it('a PATCH (a write through TypeORM) drops it after its commit', async () => {
    expect(await count()).toBe(5);
    const before = loads();
    await request(app.getHttpServer())
      .patch('/tenants/acme/users/2')
      .send({ name: 'Alan M. Turing' })
      .expect(200);
    expect(await count()).toBe(5);
    expect(loads()).toBeGreaterThan(before); // Reloaded: the update invalidated table:users.
  });
});
