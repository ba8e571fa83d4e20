import 'reflect-metadata';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Param,
  ParseIntPipe,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import {
  Cached,
  HydraCache,
  HydraCacheModule,
  HYDRA_CACHE_MODULE_OPTIONS,
  type HydraCacheModuleOptions,
  type HydraCacheOptionsFactory,
} from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

/** Application configuration, as a config module would provide it. */
const APP_CONFIG = Symbol('APP_CONFIG');
interface AppConfig {
  cacheEntries: number;
}

@Module({
  providers: [{ provide: APP_CONFIG, useValue: { cacheEntries: 1 } satisfies AppConfig }],
  exports: [APP_CONFIG],
})
class ConfigModule {}

/** Options factory used with useClass (instantiated by the cache module) and useExisting. */
@Injectable()
class CacheConfigService implements HydraCacheOptionsFactory {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async createHydraCacheOptions(): Promise<HydraCacheModuleOptions> {
    return { maxCapacity: this.config.cacheEntries, defaultTtl: 60_000 };
  }
}

@Module({
  imports: [ConfigModule],
  providers: [CacheConfigService],
  exports: [CacheConfigService],
})
class CacheConfigModule {}

@Injectable()
class ItemsService {
  loads = 0;

  @Cached({ key: (id: number) => `item:${id}` })
  async find(id: number): Promise<{ id: number; load: number }> {
    return { id, load: ++this.loads };
  }
}

@Controller('items')
class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.items.find(id);
  }
}

/**
 * With maxCapacity 1 from the configuration, asking for item 1, item 2, then item 1 again evicts
 * item 1 in between: three loads instead of two. That proves the options reached the cache.
 */
async function expectCapacityOfOne(app: INestApplication): Promise<void> {
  const server = app.getHttpServer();
  await request(server).get('/items/1').expect(200, { id: 1, load: 1 });
  await request(server).get('/items/1').expect(200, { id: 1, load: 1 });
  await request(server).get('/items/2').expect(200, { id: 2, load: 2 });
  await request(server).get('/items/1').expect(200, { id: 1, load: 3 });
  expect(app.get(HydraCache).stats()).toMatchObject({ size: 1, evictions: 2 });
  expect(app.get(HYDRA_CACHE_MODULE_OPTIONS)).toEqual({ maxCapacity: 1, defaultTtl: 60_000 });
}

describe('e2e: HydraCacheModule.forRootAsync', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('useFactory, injecting a config provider', async () => {
    app = await startApp({
      imports: [
        HydraCacheModule.forRootAsync({
          imports: [ConfigModule],
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            maxCapacity: config.cacheEntries,
            defaultTtl: 60_000,
          }),
        }),
      ],
      controllers: [ItemsController],
      providers: [ItemsService],
    });
    await expectCapacityOfOne(app);
  });

  it('useFactory, async', async () => {
    app = await startApp({
      imports: [
        HydraCacheModule.forRootAsync({
          imports: [ConfigModule],
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            await Promise.resolve();
            return { maxCapacity: config.cacheEntries, defaultTtl: 60_000 };
          },
        }),
      ],
      controllers: [ItemsController],
      providers: [ItemsService],
    });
    await expectCapacityOfOne(app);
  });

  it('useClass, with a HydraCacheOptionsFactory', async () => {
    app = await startApp({
      imports: [
        HydraCacheModule.forRootAsync({ imports: [ConfigModule], useClass: CacheConfigService }),
      ],
      controllers: [ItemsController],
      providers: [ItemsService],
    });
    await expectCapacityOfOne(app);
  });

  it('useExisting, reusing a factory provided by another module', async () => {
    app = await startApp({
      imports: [
        HydraCacheModule.forRootAsync({
          imports: [CacheConfigModule],
          useExisting: CacheConfigService,
        }),
      ],
      controllers: [ItemsController],
      providers: [ItemsService],
    });
    await expectCapacityOfOne(app);
  });

  it('is global by default, and accepts isGlobal: false', async () => {
    @Module({ controllers: [ItemsController], providers: [ItemsService] })
    class FeatureModule {}

    app = await startApp({
      imports: [HydraCacheModule.forRootAsync({ useFactory: () => ({}) }), FeatureModule],
    });
    await request(app.getHttpServer()).get('/items/1').expect(200);
    await app.close();

    const failure = await startApp({
      imports: [
        HydraCacheModule.forRootAsync({ isGlobal: false, useFactory: () => ({}) }),
        FeatureModule,
      ],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    app = undefined;
    expect((failure as Error).message).toContain('HydraCache');
  });
});
