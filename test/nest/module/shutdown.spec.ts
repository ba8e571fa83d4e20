import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Slow {
  loads = 0;
  gate: Deferred<void> | undefined;

  @Cached({ key: (id: number) => `slow:${id}`, tags: ['slow'] })
  async find(id: number): Promise<number> {
    this.loads++;
    if (this.gate !== undefined) await this.gate.promise;
    return id;
  }
}

describe('the cache on application shutdown', () => {
  it('is flushed by app.close()', async () => {
    const moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Slow],
    });
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const slow = app.get(Slow);
    const cache = app.get(HydraCache);
    await slow.find(1);
    await slow.find(2);
    expect(cache.stats().size).toBe(2);

    await app.close();
    expect(cache.stats().size).toBe(0);
    expect(cache.diagnostics()).toMatchObject({ entries: 0, indexedTags: 0, inFlightLoads: 0 });
  });

  it('supersedes a load still running at shutdown: its caller gets the result, nothing is stored', async () => {
    const moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Slow],
    });
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const slow = app.get(Slow);
    const cache = app.get(HydraCache);

    slow.gate = deferred<void>();
    const pending = slow.find(3);
    await app.close();
    slow.gate.resolve();

    expect(await pending).toBe(3);
    expect(cache.stats()).toMatchObject({ size: 0, staleLoadDiscards: 1 });
  });

  it('is flushed when a testing module without an HTTP app is closed', async () => {
    const moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Slow],
    });
    const cache = moduleRef.get(HydraCache);
    await moduleRef.get(Slow).find(1);
    await moduleRef.close();
    expect(cache.stats().size).toBe(0);
  });
});
