import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Repository {
  readonly queries: string[] = [];

  async query(sql: string): Promise<string> {
    this.queries.push(sql);
    return `rows of ${sql}`;
  }
}

@Injectable()
class Profiles {
  readonly #prefix = 'profile';
  readonly receivers: unknown[] = [];
  fibLoads = 0;

  constructor(private readonly repository: Repository) {}

  @Cached({ key: (id: number) => `user:${id}`, tags: ['users'] })
  async user(id: number): Promise<string> {
    this.receivers.push(this);
    return this.repository.query(`${this.#prefix} user ${id}`);
  }

  @Cached({ key: (id: number) => `posts:${id}` })
  async posts(id: number): Promise<string> {
    this.receivers.push(this);
    return this.repository.query(`${this.#prefix} posts ${id}`);
  }

  /** A cached method built from two other cached methods of the same class. */
  @Cached({ key: (id: number) => `page:${id}` })
  async page(id: number): Promise<{ user: string; posts: string }> {
    this.receivers.push(this);
    const [user, posts] = await Promise.all([this.user(id), this.posts(id)]);
    return { user, posts };
  }

  /** Recursion through the cache: every value is computed once. */
  @Cached({ key: (n: number) => `fib:${n}` })
  async fib(n: number): Promise<number> {
    this.fibLoads++;
    return n < 2 ? n : (await this.fib(n - 1)) + (await this.fib(n - 2));
  }

  /** An invalidating method that itself calls a cached one. */
  @InvalidateTags(['users'])
  async rename(id: number): Promise<string> {
    this.receivers.push(this);
    await this.repository.query(`${this.#prefix} rename ${id}`);
    return this.user(id);
  }
}

describe('`this` and calls from inside the class', () => {
  let moduleRef: TestingModule;
  let profiles: Profiles;
  let repository: Repository;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Profiles, Repository],
    });
    profiles = moduleRef.get(Profiles);
    repository = moduleRef.get(Repository);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('runs the method with `this` bound to the instance (private fields and injected deps work)', async () => {
    expect(await profiles.user(1)).toBe('rows of profile user 1');
    expect(profiles.receivers).toEqual([profiles]);
    expect(profiles.receivers[0]).toBe(profiles);
  });

  it('caches a method that calls other cached methods, and each of them separately', async () => {
    expect(await profiles.page(1)).toEqual({
      user: 'rows of profile user 1',
      posts: 'rows of profile posts 1',
    });
    expect(await profiles.page(1)).toEqual({
      user: 'rows of profile user 1',
      posts: 'rows of profile posts 1',
    });
    expect(repository.queries).toHaveLength(2);

    await cache.invalidateKey('page:1');
    await profiles.page(1);
    // The outer method ran again, but its inner calls were cache hits.
    expect(repository.queries).toHaveLength(2);
    expect(profiles.receivers.every((receiver) => receiver === profiles)).toBe(true);
  });

  it('supports recursion through the cache', async () => {
    expect(await profiles.fib(30)).toBe(832040);
    expect(profiles.fibLoads).toBe(31);
    expect(await profiles.fib(31)).toBe(1346269);
    expect(profiles.fibLoads).toBe(32);
  });

  it('lets an invalidating method call a cached method of its own class', async () => {
    await profiles.user(2);
    expect(await profiles.rename(2)).toBe('rows of profile user 2');
    // The user was re-read inside rename, then invalidated after it succeeded.
    expect(await cache.containsKey('user:2')).toBe(false);
    expect(repository.queries).toEqual(['profile user 2', 'profile rename 2']);
  });
});
