import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Cached,
  CacheError,
  HydraCache,
  HydraCacheModule,
  HYDRA_CACHE_MODULE_OPTIONS,
  type HydraCacheModuleOptions,
  type HydraCacheOptionsFactory,
} from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Blobs {
  loads = 0;

  @Cached({ key: (size: number) => `blob:${size}` })
  async blob(size: number): Promise<string> {
    this.loads++;
    return 'x'.repeat(size);
  }
}

async function bootstrapError(imports: unknown[]): Promise<CacheError> {
  const error = await compileModule({ imports: imports as never[], providers: [Blobs] }).then(
    async (moduleRef) => {
      await moduleRef.close();
      throw new Error('expected the bootstrap to fail');
    },
    (e: unknown) => e,
  );
  return error as CacheError;
}

describe('HydraCacheModule options', () => {
  let moduleRef: TestingModule | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  it('works with no options at all', async () => {
    moduleRef = await compileModule({ imports: [HydraCacheModule.forRoot()], providers: [Blobs] });
    const cache = moduleRef.get(HydraCache);
    expect(cache).toBeInstanceOf(HydraCache);
    expect(moduleRef.get(HYDRA_CACHE_MODULE_OPTIONS)).toEqual({});
  });

  it('applies maxCapacity', async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot({ maxCapacity: 2 })],
      providers: [Blobs],
    });
    const blobs = moduleRef.get(Blobs);
    await blobs.blob(1);
    await blobs.blob(2);
    await blobs.blob(3);
    expect(moduleRef.get(HydraCache).stats()).toMatchObject({ size: 2, evictions: 1 });
    await blobs.blob(1);
    expect(blobs.loads).toBe(4);
  });

  it('applies maxEntryBytes: a larger result is returned but not cached', async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot({ maxEntryBytes: 64 })],
      providers: [Blobs],
    });
    const blobs = moduleRef.get(Blobs);
    expect(await blobs.blob(1_000)).toHaveLength(1_000);
    expect(await blobs.blob(1_000)).toHaveLength(1_000);
    expect(blobs.loads).toBe(2);
    await blobs.blob(8);
    await blobs.blob(8);
    expect(blobs.loads).toBe(3);
  });

  it('applies codec: null (values kept by reference)', async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot({ codec: null })],
      providers: [Blobs],
    });
    const cache = moduleRef.get(HydraCache);
    const value = { shared: true };
    await cache.put('ref', value);
    expect(await cache.get('ref')).toBe(value);
  });

  it('does not pass isGlobal on to the cache settings', async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot({ isGlobal: true, defaultTtl: 1_000 })],
      providers: [Blobs],
    });
    expect(moduleRef.get(HYDRA_CACHE_MODULE_OPTIONS)).toEqual({ defaultTtl: 1_000 });
  });

  describe('invalid options fail the bootstrap with E_INVALID_OPTION naming the field', () => {
    it.each([
      ['defaultTtl', { defaultTtl: 0 }],
      ['defaultTtl', { defaultTtl: '5m' }],
      ['maxCapacity', { maxCapacity: 1.5 }],
      ['maxCapacity', { maxCapacity: -1 }],
      ['maxEntryBytes', { maxEntryBytes: 0 }],
      ['codec', { codec: { encode: () => new Uint8Array() } }],
      ['maxCapcity', { maxCapcity: 10 }],
      ['ttl', { ttl: 1_000 }],
    ])('forRoot: %s', async (field, options) => {
      const error = await bootstrapError([
        HydraCacheModule.forRoot(options as unknown as HydraCacheModuleOptions),
      ]);
      expect(error).toBeInstanceOf(CacheError);
      expect(error.code).toBe('E_INVALID_OPTION');
      expect(error.message).toContain(`"${field}"`);
    });

    it('forRootAsync with useFactory', async () => {
      const error = await bootstrapError([
        HydraCacheModule.forRootAsync({ useFactory: async () => ({ maxCapacity: 0 }) }),
      ]);
      expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
      expect(error.message).toContain('"maxCapacity"');
    });

    it('forRootAsync with an unknown field', async () => {
      const error = await bootstrapError([
        HydraCacheModule.forRootAsync({
          useFactory: () => ({ defaultTTL: 60_000 }) as HydraCacheModuleOptions,
        }),
      ]);
      expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
      expect(error.message).toContain('"defaultTTL"');
    });

    it('forRootAsync with useClass', async () => {
      @Injectable()
      class BadOptions implements HydraCacheOptionsFactory {
        createHydraCacheOptions(): HydraCacheModuleOptions {
          return { defaultTtl: -1 };
        }
      }
      const error = await bootstrapError([HydraCacheModule.forRootAsync({ useClass: BadOptions })]);
      expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
      expect(error.message).toContain('"defaultTtl"');
    });

    it('forRootAsync with useExisting', async () => {
      @Injectable()
      class BadOptions implements HydraCacheOptionsFactory {
        createHydraCacheOptions(): HydraCacheModuleOptions {
          return { maxEntryBytes: Number.NaN };
        }
      }
      @Module({ providers: [BadOptions], exports: [BadOptions] })
      class OptionsModule {}

      const error = await bootstrapError([
        HydraCacheModule.forRootAsync({ imports: [OptionsModule], useExisting: BadOptions }),
      ]);
      expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
      expect(error.message).toContain('"maxEntryBytes"');
    });
  });
});
