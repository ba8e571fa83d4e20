import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Cached,
  CacheKey,
  CacheKeyBuilder,
  HydraCache,
  HydraCacheModule,
  InvalidateKeys,
} from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

interface Item {
  id: number;
  sku: string;
  price: number;
}

@Injectable()
class Inventory {
  readonly rows = new Map<number, Item>([
    [1, { id: 1, sku: 'A-1', price: 10 }],
    [2, { id: 2, sku: 'B-2', price: 20 }],
  ]);
  loads = 0;
  gate: Deferred<void> | undefined;

  @Cached({ key: (id: number) => `item:${id}` })
  async findOne(id: number): Promise<Item> {
    this.loads++;
    const row = { ...this.rows.get(id)! };
    if (this.gate !== undefined) await this.gate.promise;
    return row;
  }

  @Cached({ key: (sku: string) => CacheKeyBuilder.fromSegment('sku').segment(sku) })
  async bySku(sku: string): Promise<Item | null> {
    this.loads++;
    return [...this.rows.values()].find((item) => item.sku === sku) ?? null;
  }

  /** One key from the arguments. */
  @InvalidateKeys((id: number, _price: number) => `item:${id}`)
  async reprice(id: number, price: number): Promise<Item> {
    const item = { ...this.rows.get(id)!, price };
    this.rows.set(id, item);
    return item;
  }

  /** Several keys, of every accepted kind. */
  @InvalidateKeys((id: number) => [
    `item:${id}`,
    new CacheKey(`sku:${id === 1 ? 'A-1' : 'B-2'}`),
    CacheKeyBuilder.fromSegment('report').segment('stock'),
  ])
  async remove(id: number): Promise<void> {
    this.rows.delete(id);
  }

  /** A fixed key. */
  @InvalidateKeys('report:stock')
  async restock(): Promise<void> {}

  /** Keys from the result (and the arguments). */
  @InvalidateKeys({
    keys: (id: number) => `item:${id}`,
    resultKeys: (item: Item) => CacheKeyBuilder.fromSegment('sku').segment(item.sku),
  })
  async changeSku(id: number, sku: string): Promise<Item> {
    const item = { ...this.rows.get(id)!, sku };
    this.rows.set(id, item);
    return item;
  }
}

describe('@InvalidateKeys', () => {
  let moduleRef: TestingModule;
  let inventory: Inventory;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Inventory],
    });
    inventory = moduleRef.get(Inventory);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('evicts the key computed from the arguments after the method succeeds', async () => {
    await inventory.findOne(1);
    await inventory.findOne(2);
    await inventory.reprice(1, 11);
    expect(await cache.containsKey('item:1')).toBe(false);
    expect(await cache.containsKey('item:2')).toBe(true);
    expect(await inventory.findOne(1)).toEqual({ id: 1, sku: 'A-1', price: 11 });
    expect(inventory.loads).toBe(3);
    expect(cache.stats().invalidations).toBe(1);
  });

  it('accepts several keys: strings, CacheKeys and CacheKeyBuilders', async () => {
    await inventory.findOne(1);
    await inventory.bySku('A-1');
    await cache.put('report:stock', { total: 2 });
    await inventory.remove(1);
    expect(cache.stats().size).toBe(0);
  });

  it('accepts a fixed key', async () => {
    await cache.put('report:stock', { total: 2 });
    await inventory.restock();
    expect(await cache.containsKey('report:stock')).toBe(false);
  });

  it('evicts keys computed from the result ({ keys, resultKeys })', async () => {
    await inventory.findOne(1);
    await inventory.bySku('Z-9');
    await inventory.changeSku(1, 'Z-9');
    expect(await cache.containsKey('item:1')).toBe(false);
    expect(await cache.containsKey('sku:Z-9')).toBe(false);
    expect(await inventory.bySku('Z-9')).toMatchObject({ id: 1 });
  });

  it('supersedes a read of the key still running, so the old value is not stored', async () => {
    inventory.gate = deferred<void>();
    const reading = inventory.findOne(1);
    await inventory.reprice(1, 12);
    inventory.gate.resolve();

    expect(await reading).toMatchObject({ price: 10 });
    expect(await cache.containsKey('item:1')).toBe(false);
    inventory.gate = undefined;
    expect(await inventory.findOne(1)).toMatchObject({ price: 12 });
  });
});
