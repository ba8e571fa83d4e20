import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

interface Row {
  id: number;
  by: string[];
}

/** A generic CRUD base class, cached, as many NestJS services have. */
class CrudService {
  baseRuns = 0;

  @Cached()
  async find(id: number): Promise<Row> {
    this.baseRuns++;
    return { id, by: ['base'] };
  }

  @Cached({ key: (id: number) => `row:${id}` })
  async findByKey(id: number): Promise<Row> {
    this.baseRuns++;
    return { id, by: ['base'] };
  }
}

@Injectable()
class UsersService extends CrudService {
  overrideRuns = 0;

  /** Calls super first, before any await. */
  @Cached()
  override async find(id: number): Promise<Row> {
    this.overrideRuns++;
    const row = await super.find(id);
    return { ...row, by: [...row.by, 'users'] };
  }

  /** Awaits something first, then calls super; the same explicit key as the base. */
  @Cached({ key: (id: number) => `row:${id}` })
  override async findByKey(id: number): Promise<Row> {
    this.overrideRuns++;
    await Promise.resolve();
    const row = await super.findByKey(id);
    return { ...row, by: [...row.by, 'users'] };
  }
}

/** An override cached under a key of its own, calling the base method cached under another. */
@Injectable()
class OwnKeyOverride extends CrudService {
  overrideRuns = 0;

  @Cached({ key: (id: number) => `users:${id}` })
  override async findByKey(id: number): Promise<Row> {
    this.overrideRuns++;
    const row = await super.findByKey(id);
    return { ...row, by: [...row.by, 'own'] };
  }

  /** Default key for the override, explicit `row:` key for the base. */
  @Cached()
  override async find(id: number): Promise<Row> {
    this.overrideRuns++;
    const row = await super.findByKey(id);
    return { ...row, by: [...row.by, 'default'] };
  }
}

/** Overrides without caching: the cached base method keeps caching under the subclass's key. */
@Injectable()
class PlainOverride extends CrudService {
  override async find(id: number): Promise<Row> {
    const row = await super.find(id);
    return { ...row, by: [...row.by, 'plain'] };
  }
}

describe('@Cached override that calls a @Cached super method', () => {
  let moduleRef: TestingModule;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [UsersService, PlainOverride, OwnKeyOverride],
    });
    cache = moduleRef.get(HydraCache);
  });
  afterEach(async () => {
    await moduleRef.close();
  });

  it.each([
    ['default keys, super called first', 'find' as const],
    ['the same explicit key, super called after an await', 'findByKey' as const],
  ])('%s: settles, runs each method once, and caches the override result', async (_l, method) => {
    const users = moduleRef.get(UsersService);
    expect(await users[method](1)).toEqual({ id: 1, by: ['base', 'users'] });
    expect(await users[method](1)).toEqual({ id: 1, by: ['base', 'users'] });
    expect({ base: users.baseRuns, override: users.overrideRuns }).toEqual({
      base: 1,
      override: 1,
    });
    expect(cache.diagnostics().inFlightLoads).toBe(0);
    expect(cache.stats()).toMatchObject({ loads: 1, hits: 1 });
  });

  it('with a key of its own, caches both the override result and super’s', async () => {
    const own = moduleRef.get(OwnKeyOverride);
    expect(await own.findByKey(3)).toEqual({ id: 3, by: ['base', 'own'] });
    expect(await cache.get('users:3')).toEqual({ id: 3, by: ['base', 'own'] });
    expect(await cache.get('row:3')).toEqual({ id: 3, by: ['base'] });
    // The override's entry goes; super's still answers the override's next run.
    await cache.invalidateKey('users:3');
    expect(await own.findByKey(3)).toEqual({ id: 3, by: ['base', 'own'] });
    expect(await own.find(3)).toEqual({ id: 3, by: ['base', 'default'] });
    expect({ base: own.baseRuns, override: own.overrideRuns }).toEqual({ base: 1, override: 3 });
    expect(cache.diagnostics().inFlightLoads).toBe(0);
  });

  it('leaves the base method cached when the override is not cached', async () => {
    const plain = moduleRef.get(PlainOverride);
    expect(await plain.find(2)).toEqual({ id: 2, by: ['base', 'plain'] });
    expect(await plain.find(2)).toEqual({ id: 2, by: ['base', 'plain'] });
    expect(plain.baseRuns).toBe(1);
  });
});
