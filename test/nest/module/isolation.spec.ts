import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Counter {
  loads = 0;

  @Cached({ key: 'count', tags: ['counts'] })
  async count(): Promise<number> {
    return ++this.loads;
  }
}

@Module({ imports: [HydraCacheModule.forRoot()], providers: [Counter] })
class AppModule {}

describe('two testing modules side by side', () => {
  it('get their own caches, with independent contents', async () => {
    const first = await compileModule({ imports: [AppModule] });
    const second = await compileModule({ imports: [AppModule] });
    const firstCache = first.get(HydraCache);
    const secondCache = second.get(HydraCache);
    expect(firstCache).not.toBe(secondCache);

    expect(await first.get(Counter).count()).toBe(1);
    expect(await first.get(Counter).count()).toBe(1);
    // The second module's provider has not run yet: nothing leaked from the first cache.
    expect(await second.get(Counter).count()).toBe(1);
    expect(second.get(Counter).loads).toBe(1);

    await firstCache.put('only-in-first', true);
    expect(await secondCache.containsKey('only-in-first')).toBe(false);

    await secondCache.invalidateTag('counts');
    expect(await firstCache.containsKey('count')).toBe(true);
    expect(firstCache.stats()).toMatchObject({ hits: 1, loads: 1, invalidations: 0 });
    expect(secondCache.stats()).toMatchObject({ hits: 0, loads: 1, invalidations: 1 });

    // Closing one module flushes its cache only.
    await first.close();
    expect(firstCache.stats().size).toBe(0);
    expect(await second.get(Counter).count()).toBe(2);
    expect(await second.get(Counter).count()).toBe(2);
    expect(secondCache.stats().size).toBe(1);
    await second.close();
  });
});
