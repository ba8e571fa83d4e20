import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cached, HydraCache, attachHydraCache } from '../../lib/index.js';

// The default keys docs/decorators.md and the README show must be the keys @Cached really builds:
// each call below is the one the docs name, and its key must appear verbatim in the docs.
const decoratorsPage = readFileSync(
  fileURLToPath(new URL('../../docs/decorators.md', import.meta.url)),
  'utf8',
);
const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

class SearchDto {
  page = 1;
  q = 'ada';
}

class UsersService {
  @Cached()
  async findOne(id: number) {
    return id;
  }
  @Cached()
  async list() {
    return [];
  }
  @Cached()
  async find(_name: string, _filter: object) {
    return null;
  }
  @Cached()
  async search(_dto: SearchDto) {
    return [];
  }
}

class NamespacedUsers {
  @Cached({ namespace: 'users' })
  async findOne(id: number) {
    return id;
  }
}

class ProductsService {
  @Cached()
  async byCategory(_categoryId: number) {
    return [];
  }
}

/** The keys `run` makes @Cached ask the cache for. */
async function keysOf(run: (cache: HydraCache) => Promise<unknown>): Promise<string[]> {
  const cache = HydraCache.local().build();
  const keys: string[] = [];
  const getOrLoad = cache.getOrLoad.bind(cache);
  cache.getOrLoad = ((key: string, options: never, loader: never) => {
    keys.push(key);
    return getOrLoad(key, options, loader);
  }) as typeof cache.getOrLoad;
  try {
    await run(cache);
  } finally {
    await cache.close();
  }
  return keys;
}

describe('documented default keys', () => {
  it('are the keys @Cached builds, for every row of the table in docs/decorators.md', async () => {
    const keys = await keysOf(async (cache) => {
      const users = attachHydraCache(new UsersService(), cache);
      await users.findOne(42);
      await users.list();
      await users.find('x', { z: 1, a: new Date(0) });
      await users.search(new SearchDto());
      await attachHydraCache(new NamespacedUsers(), cache).findOne(7);
      await attachHydraCache(new ProductsService(), cache).byCategory(7);
    });
    expect(keys).toEqual([
      'UsersService:findOne:(42)',
      'UsersService:list:()',
      'UsersService:find:("x",{"a"%3ADate(1970-01-01T00%3A00%3A00.000Z),"z"%3A1})',
      'UsersService:search:(SearchDto{"page"%3A1,"q"%3A"ada"})',
      'users:NamespacedUsers:findOne:(7)',
      'ProductsService:byCategory:(7)',
    ]);
    for (const key of keys.slice(0, 4)) expect(decoratorsPage).toContain(`\`${key}\``);
    expect(decoratorsPage).toContain('`users:UsersService:findOne:(7)`');
    expect(decoratorsPage).toContain('ProductsService:byCategory:(7)');
    expect(readme).toContain('`UsersService:findOne:(42)`');
  });
});
