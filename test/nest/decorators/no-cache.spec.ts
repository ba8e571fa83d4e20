import 'reflect-metadata';
import {
  attachHydraCache,
  Cached,
  CacheError,
  HydraCache,
  InvalidateKeys,
  InvalidateTags,
} from '../../../lib/index.js';

/** A service built with `new`, outside Nest: nothing injects a cache into it. */
class PriceService {
  runs = 0;

  @Cached({ key: (sku: string) => `price:${sku}`, tags: ['prices'] })
  async price(sku: string): Promise<number> {
    this.runs++;
    return sku.length;
  }

  @InvalidateTags(['prices'])
  async reprice(): Promise<void> {
    this.runs++;
  }

  @InvalidateKeys((sku: string) => `price:${sku}`)
  async drop(_sku: string): Promise<void> {
    this.runs++;
  }
}

describe('E_NO_CACHE: a decorated method on an instance without a cache', () => {
  it.each([
    ['@Cached', 'PriceService.price', (s: PriceService) => s.price('abc')],
    ['@InvalidateTags', 'PriceService.reprice', (s: PriceService) => s.reprice()],
    ['@InvalidateKeys', 'PriceService.drop', (s: PriceService) => s.drop('abc')],
  ])('%s rejects, naming the class, the method and the fix', async (decorator, label, call) => {
    const service = new PriceService();
    const error = await call(service).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_NO_CACHE' });
    const { message } = error as CacheError;
    expect(message).toContain(label);
    expect(message).toContain(decorator);
    expect(message).toContain('HydraCacheModule.forRoot()');
    expect(message).toContain('attachHydraCache(instance, cache)');
    // It fails instead of silently running uncached.
    expect(service.runs).toBe(0);
  });

  it('also rejects when the method is called detached from its instance', async () => {
    const { price } = new PriceService();
    await expect(price('abc')).rejects.toMatchObject({ code: 'E_NO_CACHE' });
  });

  it('is fixed by attachHydraCache(instance, cache)', async () => {
    const cache = new HydraCache();
    const service = attachHydraCache(new PriceService(), cache);
    expect(service).toBeInstanceOf(PriceService);

    expect(await service.price('abcd')).toBe(4);
    expect(await service.price('abcd')).toBe(4);
    expect(service.runs).toBe(1);
    expect(await cache.get('price:abcd')).toBe(4);

    await service.reprice();
    expect(await cache.containsKey('price:abcd')).toBe(false);
    await service.price('abcd');
    await service.drop('abcd');
    expect(await cache.containsKey('price:abcd')).toBe(false);
  });

  it('keeps instances with different caches apart, and leaves other instances without one', async () => {
    const first = attachHydraCache(new PriceService(), new HydraCache());
    const second = attachHydraCache(new PriceService(), new HydraCache());
    await first.price('x');
    await second.price('x');
    expect(first.runs).toBe(1);
    expect(second.runs).toBe(1);
    await expect(new PriceService().price('x')).rejects.toMatchObject({ code: 'E_NO_CACHE' });
  });

  it('lets a later attachHydraCache replace the cache', async () => {
    const service = attachHydraCache(new PriceService(), new HydraCache());
    await service.price('x');
    const replacement = new HydraCache();
    attachHydraCache(service, replacement);
    await service.price('x');
    expect(service.runs).toBe(2);
    expect(await replacement.get('price:x')).toBe(1);
  });
});
