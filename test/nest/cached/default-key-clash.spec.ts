import 'reflect-metadata';
import { Cached, CacheError, HydraCache, attachHydraCache } from '../../../lib/index.js';

/**
 * A class named `Repo` that answers with `label`. Each call makes a new class, so two calls give
 * two distinct classes of the same name, as two feature modules might each declare a `Repo`.
 */
function makeRepo(label: string, options: { namespace?: string } = {}) {
  class Repo {
    loads = 0;

    @Cached(options)
    async find(id: number): Promise<string> {
      this.loads++;
      return `${label}#${id}`;
    }
  }
  return Repo;
}

const newCache = () => HydraCache.local().build();

describe('@Cached default keys of two classes with the same name', () => {
  it('rejects the second class with E_DEFAULT_KEY_CLASH instead of serving it the first one’s entries', async () => {
    const cache = newCache();
    const first = attachHydraCache(new (makeRepo('orders'))(), cache);
    const second = attachHydraCache(new (makeRepo('invoices'))(), cache);

    expect(await first.find(1)).toBe('orders#1');
    const error = await second.find(1).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_DEFAULT_KEY_CLASH' });
    expect((error as CacheError).message).toContain('Repo.find');
    expect((error as CacheError).message).toContain('namespace');
    expect(second.loads).toBe(0);
    // The first class keeps its name and its entries; the cache keeps serving.
    expect(await first.find(1)).toBe('orders#1');
    expect(await first.find(2)).toBe('orders#2');
    expect(first.loads).toBe(2);
  });

  it('lets every instance of one class share its entries', async () => {
    const cache = newCache();
    const Repo = makeRepo('orders');
    const a = attachHydraCache(new Repo(), cache);
    const b = attachHydraCache(new Repo(), cache);

    expect(await a.find(1)).toBe('orders#1');
    expect(await b.find(1)).toBe('orders#1');
    expect(a.loads + b.loads).toBe(1);
  });

  it('accepts same-named classes in different caches', async () => {
    const first = attachHydraCache(new (makeRepo('orders'))(), newCache());
    const second = attachHydraCache(new (makeRepo('invoices'))(), newCache());

    expect(await first.find(1)).toBe('orders#1');
    expect(await second.find(1)).toBe('invoices#1');
  });

  it('accepts a same-named class whose @Cached has its own namespace', async () => {
    const cache = newCache();
    const first = attachHydraCache(new (makeRepo('orders'))(), cache);
    const second = attachHydraCache(new (makeRepo('invoices', { namespace: 'billing' }))(), cache);

    expect(await first.find(1)).toBe('orders#1');
    expect(await second.find(1)).toBe('invoices#1');
    expect(await cache.containsKey('billing:Repo:find:(1)')).toBe(true);
  });

  it('treats an anonymous subclass as a class of its own under the base class’s name', async () => {
    const cache = newCache();
    const Repo = makeRepo('orders');
    const Anonymous = (() => class extends Repo {})();
    expect(Anonymous.name).toBe('');
    const base = attachHydraCache(new Repo(), cache);
    const sub = attachHydraCache(new Anonymous(), cache);

    expect(await base.find(1)).toBe('orders#1');
    await expect(sub.find(1)).rejects.toMatchObject({ code: 'E_DEFAULT_KEY_CLASH' });
  });
});

describe('@Cached on a static method', () => {
  it('is refused when the class is defined', () => {
    expect(() => {
      class Lookup {
        @Cached()
        static async find(id: number): Promise<number> {
          return id;
        }
      }
      return Lookup;
    }).toThrow(
      new TypeError('HydraCache decorators apply to instance methods; Lookup.find is static.'),
    );
  });
});
