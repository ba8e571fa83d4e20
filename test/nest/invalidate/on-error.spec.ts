import 'reflect-metadata';
import { ConflictException, Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  CacheError,
  HydraCache,
  HydraCacheModule,
  InvalidateKeys,
  InvalidateTags,
} from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Ledger {
  runs = 0;
  failure: unknown;

  @InvalidateTags((id: number) => [`entry:${id}`])
  async updateByTag(id: number): Promise<number> {
    this.runs++;
    if (this.failure !== undefined) throw this.failure;
    return id;
  }

  @InvalidateTags({ resultTags: (id: number) => [`entry:${id}`] })
  async updateByResultTag(id: number): Promise<number> {
    this.runs++;
    if (this.failure !== undefined) throw this.failure;
    return id;
  }

  @InvalidateKeys((id: number) => `entry:${id}`)
  async updateByKey(id: number): Promise<number> {
    this.runs++;
    if (this.failure !== undefined) throw this.failure;
    return id;
  }

  @InvalidateTags((_id: number) => ['ok', 42 as unknown as string])
  async badTags(_id: number): Promise<void> {
    this.runs++;
  }

  @InvalidateKeys((_id: number) => [{ not: 'a key' } as unknown as string])
  async badKeys(_id: number): Promise<void> {
    this.runs++;
  }

  @InvalidateTags({ resultTags: () => 99 as unknown as string })
  async badResultTags(): Promise<void> {
    this.runs++;
  }
}

describe('invalidation when the method fails', () => {
  let moduleRef: TestingModule;
  let ledger: Ledger;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Ledger],
    });
    ledger = moduleRef.get(Ledger);
    cache = moduleRef.get(HydraCache);
    await cache.put('entry:1', 'cached', { tags: ['entry:1'] });
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it.each([
    ['@InvalidateTags (arguments)', (l: Ledger) => l.updateByTag(1)],
    ['@InvalidateTags (result)', (l: Ledger) => l.updateByResultTag(1)],
    ['@InvalidateKeys', (l: Ledger) => l.updateByKey(1)],
  ])('%s: nothing is invalidated and the error propagates unchanged', async (_label, update) => {
    const failure = new ConflictException('version mismatch');
    ledger.failure = failure;
    await expect(update(ledger)).rejects.toBe(failure);
    expect(await cache.get('entry:1')).toBe('cached');
    expect(cache.stats().invalidations).toBe(0);
    expect(ledger.runs).toBe(1);
  });

  it.each([
    ['@InvalidateTags (arguments)', (l: Ledger) => l.updateByTag(1)],
    ['@InvalidateTags (result)', (l: Ledger) => l.updateByResultTag(1)],
    ['@InvalidateKeys', (l: Ledger) => l.updateByKey(1)],
  ])('%s: invalidates once the method succeeds', async (_label, update) => {
    await expect(update(ledger)).resolves.toBe(1);
    expect(await cache.containsKey('entry:1')).toBe(false);
  });

  it('propagates a thrown non-Error value unchanged too', async () => {
    const failure = { code: 'CUSTOM' };
    ledger.failure = failure;
    await expect(ledger.updateByTag(1)).rejects.toBe(failure);
    expect(await cache.get('entry:1')).toBe('cached');
  });

  it('rejects bad tags from the arguments before the method runs', async () => {
    const error = await ledger.badTags(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
    expect(ledger.runs).toBe(0);
  });

  it('rejects bad keys from the arguments before the method runs', async () => {
    await expect(ledger.badKeys(1)).rejects.toMatchObject({ code: 'E_INVALID_KEY' });
    expect(ledger.runs).toBe(0);
  });

  it('rejects bad tags from the result (the method has already run)', async () => {
    await expect(ledger.badResultTags()).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    expect(ledger.runs).toBe(1);
    expect(await cache.get('entry:1')).toBe('cached');
  });
});
