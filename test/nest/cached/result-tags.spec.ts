import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule, TagSet } from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

interface Order {
  id: number;
  customerId: number;
  load: number;
}

/** Every call of the result-tags function, as (result, id). */
const resultTagCalls: [Order, number][] = [];

/** Orders are looked up by id; the customer is known only from the loaded order. */
@Injectable()
class Orders {
  loads = 0;
  gate: Deferred<void> | undefined;

  @Cached({
    key: (id: number) => `order:${id}`,
    tags: (id: number) => [`order:${id}`],
    resultTags: (order: Order, id: number): string[] => {
      resultTagCalls.push([order, id]);
      return [`customer:${order.customerId}`];
    },
  })
  async findOne(id: number): Promise<Order> {
    const load = ++this.loads;
    if (this.gate !== undefined) await this.gate.promise;
    return { id, customerId: id * 10, load };
  }

  @Cached({
    key: (id: number) => `order-summary:${id}`,
    resultTags: (order: Order) => TagSet.fromTag('summaries').entity('customer', order.customerId),
  })
  async summary(id: number): Promise<Order> {
    const load = ++this.loads;
    if (this.gate !== undefined) await this.gate.promise;
    return { id, customerId: id * 10, load };
  }
}

describe('@Cached resultTags', () => {
  let moduleRef: TestingModule;
  let orders: Orders;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Orders],
    });
    orders = moduleRef.get(Orders);
    cache = moduleRef.get(HydraCache);
    resultTagCalls.length = 0;
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('tags the entry with tags computed from the result and the arguments', async () => {
    const order = await orders.findOne(1);
    expect(order).toEqual({ id: 1, customerId: 10, load: 1 });
    expect(resultTagCalls).toEqual([[{ id: 1, customerId: 10, load: 1 }, 1]]);

    expect(await cache.invalidateTag('customer:10')).toBe(1);
    expect(await orders.findOne(1)).toMatchObject({ load: 2 });
  });

  it('keeps the argument tags alongside the result tags', async () => {
    await orders.findOne(2);
    expect(await cache.invalidateTag('order:2')).toBe(1);
    await orders.findOne(2);
    expect(await cache.invalidateTag('customer:20')).toBe(1);
  });

  it('accepts a TagSet from the result function', async () => {
    await orders.summary(3);
    await orders.summary(4);
    expect(await cache.invalidateTag('customer:30')).toBe(1);
    expect(await cache.containsKey('order-summary:4')).toBe(true);
    expect(await cache.invalidateTag('summaries')).toBe(1);
  });

  it('returns but does not store a result whose result tag was invalidated while it loaded', async () => {
    orders.gate = deferred<void>();
    const pending = orders.findOne(1);
    // The load is held open; the customer tag is only known from the result, yet an
    // invalidation of it during the load must still prevent storing a stale copy.
    await cache.invalidateTag('customer:10');
    orders.gate.resolve();

    expect(await pending).toEqual({ id: 1, customerId: 10, load: 1 });
    expect(await cache.containsKey('order:1')).toBe(false);
    expect(cache.stats().staleLoadDiscards).toBe(1);

    orders.gate = undefined;
    expect(await orders.findOne(1)).toMatchObject({ load: 2 });
    expect(await cache.containsKey('order:1')).toBe(true);
  });

  it('gives callers that joined that load a fresh load, not the result that predates the invalidation', async () => {
    orders.gate = deferred<void>();
    const first = orders.findOne(1);
    const joined = orders.findOne(1);
    await cache.invalidateTag('customer:10');
    // Result tags are unknown until the load ends, so this caller can only join the load too.
    const afterInvalidation = orders.findOne(1);
    orders.gate.resolve();

    expect(await first).toEqual({ id: 1, customerId: 10, load: 1 });
    // The caller that joined before the invalidation keeps the result; the later one loads again.
    expect(await afterInvalidation).toEqual({ id: 1, customerId: 10, load: 2 });
    expect(await joined).toEqual({ id: 1, customerId: 10, load: 1 });
    expect(orders.loads).toBe(2);
    expect(cache.stats()).toMatchObject({ singleFlightJoins: 2, staleLoadDiscards: 1, size: 1 });
    expect(await orders.findOne(1)).toMatchObject({ load: 2 });
  });

  it('stores the result when an unrelated customer is invalidated during the load', async () => {
    orders.gate = deferred<void>();
    const pending = orders.findOne(1);
    await cache.invalidateTag('customer:20');
    orders.gate.resolve();

    await pending;
    expect(await cache.containsKey('order:1')).toBe(true);
    expect(cache.stats().staleLoadDiscards).toBe(0);
  });
});
