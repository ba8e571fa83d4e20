import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Cached,
  HydraCache,
  HydraCacheModule,
  InvalidateKeys,
  escapeSegment,
} from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Catalog {
  loads = 0;

  @Cached({ namespace: 'v1', key: (id: number) => `item:${id}` })
  async itemV1(id: number): Promise<string> {
    this.loads++;
    return `v1-${id}`;
  }

  @Cached({ namespace: 'v2', key: (id: number) => `item:${id}` })
  async itemV2(id: number): Promise<string> {
    this.loads++;
    return `v2-${id}`;
  }

  @Cached({ namespace: 'search' })
  async search(term: string): Promise<string[]> {
    this.loads++;
    return [term];
  }

  @InvalidateKeys((id: number) => `v1:item:${id}`)
  async updateV1(id: number): Promise<number> {
    return id;
  }
}

describe('@Cached namespace', () => {
  let moduleRef: TestingModule;
  let catalog: Catalog;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Catalog],
    });
    catalog = moduleRef.get(Catalog);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('prefixes the key with `namespace:`, so equal keys in two namespaces do not collide', async () => {
    expect(await catalog.itemV1(1)).toBe('v1-1');
    expect(await catalog.itemV2(1)).toBe('v2-1');
    expect(await catalog.itemV1(1)).toBe('v1-1');
    expect(catalog.loads).toBe(2);
    expect(await cache.get('v1:item:1')).toBe('v1-1');
    expect(await cache.get('v2:item:1')).toBe('v2-1');
    expect(await cache.containsKey('item:1')).toBe(false);
  });

  it('follows the same rule as cache.typed(namespace)', async () => {
    await catalog.itemV1(2);
    const v1 = cache.typed<string>('v1');
    expect(await v1.get('item:2')).toBe('v1-2');

    await v1.put('item:3', 'put through the typed view');
    expect(await catalog.itemV1(3)).toBe('put through the typed view');
    expect(catalog.loads).toBe(1);
  });

  it('prefixes the default key too', async () => {
    await catalog.search('nest');
    expect(await cache.containsKey(`search:Catalog:search:${escapeSegment('("nest")')}`)).toBe(
      true,
    );
  });

  it('is evicted by @InvalidateKeys given the full key, namespace included', async () => {
    await catalog.itemV1(4);
    await catalog.updateV1(4);
    await catalog.itemV1(4);
    expect(catalog.loads).toBe(2);
  });
});
