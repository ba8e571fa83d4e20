import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Cached,
  CacheError,
  CacheKey,
  CacheKeyBuilder,
  HydraCache,
  HydraCacheModule,
} from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

const keyFailure = new Error('key function failed');

@Injectable()
class Users {
  calls = 0;

  @Cached({ key: 'users:all' })
  async all(): Promise<string[]> {
    this.calls++;
    return ['ada', 'alan'];
  }

  @Cached({ key: (id: number) => `user:${id}` })
  async byId(id: number): Promise<{ id: number; call: number }> {
    this.calls++;
    return { id, call: this.calls };
  }

  @Cached({
    key: (tenant: string, id: number) => CacheKeyBuilder.fromSegment(tenant).entity('user', id),
  })
  async byTenant(tenant: string, id: number): Promise<string> {
    this.calls++;
    return `${tenant}/${id}`;
  }

  @Cached({ key: new CacheKey('users:count') })
  async count(): Promise<number> {
    this.calls++;
    return 2;
  }

  @Cached({ key: (id: unknown) => id as string })
  async badKey(_id: unknown): Promise<number> {
    this.calls++;
    return 1;
  }

  @Cached({
    key: (): string => {
      throw keyFailure;
    },
  })
  async throwingKey(): Promise<number> {
    this.calls++;
    return 1;
  }
}

describe('@Cached key option', () => {
  let moduleRef: TestingModule;
  let users: Users;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Users],
    });
    users = moduleRef.get(Users);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('uses a fixed string key as is', async () => {
    expect(await users.all()).toEqual(['ada', 'alan']);
    expect(await users.all()).toEqual(['ada', 'alan']);
    expect(users.calls).toBe(1);
    expect(await cache.get('users:all')).toEqual(['ada', 'alan']);
  });

  it('computes the key from the arguments', async () => {
    expect(await users.byId(1)).toEqual({ id: 1, call: 1 });
    expect(await users.byId(2)).toEqual({ id: 2, call: 2 });
    expect(await users.byId(1)).toEqual({ id: 1, call: 1 });
    expect(users.calls).toBe(2);
    expect(await cache.get('user:1')).toEqual({ id: 1, call: 1 });
  });

  it('accepts a CacheKeyBuilder and a CacheKey', async () => {
    await users.byTenant('acme', 7);
    await users.byTenant('acme', 7);
    await users.count();
    await users.count();
    expect(users.calls).toBe(2);
    expect(await cache.get('acme:user:7')).toBe('acme/7');
    expect(await cache.get('users:count')).toBe(2);
  });

  it('shares the entry with direct cache calls on the same key', async () => {
    await cache.put('user:5', { id: 5, call: 99 });
    expect(await users.byId(5)).toEqual({ id: 5, call: 99 });
    expect(users.calls).toBe(0);
  });

  it('rejects with E_INVALID_KEY when the key function returns something that is not a key', async () => {
    await expect(users.badKey(42)).rejects.toMatchObject({ code: 'E_INVALID_KEY' });
    await expect(users.badKey(undefined)).rejects.toBeInstanceOf(CacheError);
    expect(users.calls).toBe(0);
  });

  it('rejects with the key function’s own error, unchanged, without running the method', async () => {
    await expect(users.throwingKey()).rejects.toBe(keyFailure);
    expect(users.calls).toBe(0);
  });
});
