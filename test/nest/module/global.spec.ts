import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

/** A provider of a feature module: decorated, and also injecting the cache by class. */
@Injectable()
class FeatureService {
  loads = 0;

  constructor(readonly cache: HydraCache) {}

  @Cached({ key: 'feature' })
  async value(): Promise<number> {
    return ++this.loads;
  }
}

@Injectable()
class RootService {
  constructor(readonly cache: HydraCache) {}
}

describe('HydraCacheModule isGlobal', () => {
  it('is global by default: a feature module gets the cache without importing the module', async () => {
    @Module({ providers: [FeatureService], exports: [FeatureService] })
    class FeatureModule {}

    const moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot(), FeatureModule],
      providers: [RootService],
    });
    const feature = moduleRef.get(FeatureService);
    expect(feature.cache).toBe(moduleRef.get(RootService).cache);
    expect(await feature.value()).toBe(1);
    expect(await feature.value()).toBe(1);
    expect(await feature.cache.get('feature')).toBe(1);
    await moduleRef.close();
  });

  it('with isGlobal: false, a feature module that does not import it cannot resolve the cache', async () => {
    @Module({ providers: [FeatureService] })
    class FeatureModule {}

    const error = await compileModule({
      imports: [HydraCacheModule.forRoot({ isGlobal: false }), FeatureModule],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('FeatureService');
    expect((error as Error).message).toContain('HydraCache');
  });

  it('with isGlobal: false, modules importing the same dynamic module share one cache', async () => {
    const cacheModule = HydraCacheModule.forRoot({ isGlobal: false });

    @Module({ imports: [cacheModule], providers: [FeatureService], exports: [FeatureService] })
    class FeatureModule {}

    const moduleRef = await compileModule({
      imports: [cacheModule, FeatureModule],
      providers: [RootService],
    });
    const feature = moduleRef.get(FeatureService);
    expect(feature.cache).toBe(moduleRef.get(RootService).cache);
    await feature.value();
    expect(await moduleRef.get(RootService).cache.get('feature')).toBe(1);
    await moduleRef.close();
  });

  it('with isGlobal: false, a decorated class in a module without the import fails app.init()', async () => {
    @Injectable()
    class Stray {
      @Cached({ key: 'stray' })
      async value(): Promise<number> {
        return 1;
      }
    }
    @Module({ providers: [Stray] })
    class StrayModule {}

    const moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot({ isGlobal: false }), StrayModule],
    });
    const app = moduleRef.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toMatchObject({
      code: 'E_NO_CACHE',
      message: expect.stringContaining(
        'Stray has HydraCache decorators that use the default cache',
      ),
    });
    await app.close();
  });
});
