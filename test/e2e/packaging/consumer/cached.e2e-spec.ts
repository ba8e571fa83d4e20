// The test file of the throw-away NestJS apps in packaging.spec.ts, copied there as
// `src/cached.spec.ts` and run by each app's own CommonJS Jest (`{ preset: 'ts-jest' }`) against
// the installed tarball. The repo's own Jest does not run it (its name does not end in .spec.ts).
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '@hydracache/nestjs';

@Injectable()
class UsersService {
  loads = 0;

  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async findOne(id: number): Promise<{ id: number; name: string }> {
    this.loads++;
    return { id, name: `user ${id}` };
  }

  @InvalidateTags((id: number) => [`user:${id}`])
  async rename(id: number, name: string): Promise<{ id: number; name: string }> {
    return { id, name };
  }
}

/**
 * Never instantiated: type-checking it fails unless the package's declarations resolved, since
 * an unresolved (`any`) `Cached` would accept a sync method and leave the directive unused.
 */
export class DeclarationsResolved {
  // @ts-expect-error @Cached takes async methods only
  @Cached() syncMethod(): number {
    return 1;
  }
}

/** A provider the async factory depends on, as a ConfigService would be. */
@Injectable()
class CacheSettings {
  readonly maxCapacity = 1;
}

@Module({ providers: [CacheSettings], exports: [CacheSettings] })
class SettingsModule {}

async function boot(cacheModule: ReturnType<typeof HydraCacheModule.forRoot>) {
  return Test.createTestingModule({ imports: [cacheModule], providers: [UsersService] }).compile();
}

describe('@hydracache/nestjs in a CommonJS NestJS app', () => {
  let app: TestingModule | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is loaded from the CommonJS build', () => {
    expect(require.resolve('@hydracache/nestjs')).toMatch(/[\\/]dist[\\/]cjs[\\/]index\.cjs$/);
  });

  it('boots with forRoot, serves a hit after a miss, and reloads after a tag invalidation', async () => {
    app = await boot(HydraCacheModule.forRoot({ maxCapacity: 10 }));
    const users = app.get(UsersService);

    const miss = await users.findOne(1);
    const hit = await users.findOne(1);
    expect(hit).toEqual(miss);
    expect(users.loads).toBe(1);

    await users.rename(1, 'renamed');
    await users.findOne(1);
    expect(users.loads).toBe(2);
    expect(app.get(HydraCache).stats()).toEqual(
      expect.objectContaining({ hits: 1, loads: 2, invalidations: 1 }),
    );
  });

  it('boots with forRootAsync and a factory that injects a provider', async () => {
    app = await boot(
      HydraCacheModule.forRootAsync({
        imports: [SettingsModule],
        inject: [CacheSettings],
        useFactory: (settings: CacheSettings) => ({ maxCapacity: settings.maxCapacity }),
      }),
    );
    const users = app.get(UsersService);

    await users.findOne(1);
    await users.findOne(1);
    expect(users.loads).toBe(1);
    // maxCapacity 1 came from the injected provider: a second key evicts the first.
    await users.findOne(2);
    await users.findOne(1);
    expect(users.loads).toBe(3);
    expect(app.get(HydraCache).stats()).toEqual(
      expect.objectContaining({ hits: 1, loads: 3, evictions: 2, size: 1 }),
    );
  });
});
