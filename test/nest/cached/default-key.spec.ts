import 'reflect-metadata';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Cached,
  CacheError,
  HydraCache,
  HydraCacheModule,
  escapeSegment,
} from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

/** Records every execution so a test can tell a hit (no new call) from a miss. */
@Injectable()
class Catalog {
  readonly calls: unknown[][] = [];

  @Cached()
  async search(...args: unknown[]): Promise<number> {
    this.calls.push(args);
    return this.calls.length;
  }

  @Cached()
  async count(...args: unknown[]): Promise<number> {
    this.calls.push(args);
    return this.calls.length;
  }

  @Cached({ key: 'fixed' })
  async withExplicitKey(...args: unknown[]): Promise<number> {
    this.calls.push(args);
    return this.calls.length;
  }
}

/** A generic base service, as in a CRUD pattern: subclasses inherit the decorated method. */
abstract class CrudService {
  abstract readonly table: string;
  loads = 0;

  @Cached()
  async findOne(id: number): Promise<string> {
    this.loads++;
    return `${this.table}#${id}`;
  }
}

@Injectable()
class UsersService extends CrudService {
  readonly table = 'users';
}

@Injectable()
class PostsService extends CrudService {
  readonly table = 'posts';
}

/** What Express and Fastify hand a handler under `@Req()`: Node's request object. */
function fakeRequest(): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.url = '/users/1';
  return request;
}

describe('@Cached default key', () => {
  let moduleRef: TestingModule;
  let catalog: Catalog;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Catalog, UsersService, PostsService],
    });
    catalog = moduleRef.get(Catalog);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('hits for the same arguments and misses for different ones', async () => {
    expect(await catalog.search('books', 1)).toBe(1);
    expect(await catalog.search('books', 1)).toBe(1);
    expect(await catalog.search('books', 2)).toBe(2);
    expect(await catalog.search('films', 1)).toBe(3);
    expect(await catalog.search('books', 2)).toBe(2);
    expect(catalog.calls).toEqual([
      ['books', 1],
      ['books', 2],
      ['films', 1],
    ]);
  });

  it('is built from the class name, the method name and the arguments', async () => {
    await catalog.search();
    await catalog.search('a', 1);
    expect(await cache.containsKey('Catalog:search:()')).toBe(true);
    expect(await cache.containsKey(`Catalog:search:${escapeSegment('("a",1)')}`)).toBe(true);
  });

  it('gives different methods of one class different keys for the same arguments', async () => {
    expect(await catalog.search(7)).toBe(1);
    expect(await catalog.count(7)).toBe(2);
    expect(await catalog.search(7)).toBe(1);
    expect(await catalog.count(7)).toBe(2);
  });

  it('tells apart values that print alike but differ in type', async () => {
    const variants = [1, '1', 1n, true, 'true', null, 'null', undefined, [1], { 1: 1 }];
    for (const value of variants) await catalog.search(value);
    expect(catalog.calls).toHaveLength(variants.length);
  });

  it('gives plain objects with the same fields in a different order the same key', async () => {
    const first = await catalog.search({ page: 2, filter: { genre: 'sf', year: 1999 } });
    const second = await catalog.search({ filter: { year: 1999, genre: 'sf' }, page: 2 });
    expect(second).toBe(first);
    expect(catalog.calls).toHaveLength(1);
  });

  it('keeps array order significant', async () => {
    await catalog.search([1, 2]);
    await catalog.search([2, 1]);
    expect(catalog.calls).toHaveLength(2);
  });

  it('keys Dates by their instant, and -0 like 0', async () => {
    await catalog.search(new Date(Date.UTC(2024, 0, 1)));
    await catalog.search(new Date('2024-01-01T00:00:00.000Z'));
    await catalog.search(0);
    await catalog.search(-0);
    expect(catalog.calls).toHaveLength(2);
  });

  it('accepts an object referenced twice without being circular', async () => {
    const shared = { id: 1 };
    await catalog.search([shared, shared], { a: shared, b: shared });
    await catalog.search([{ id: 1 }, { id: 1 }], { b: { id: 1 }, a: { id: 1 } });
    expect(catalog.calls).toHaveLength(1);
  });

  it('uses the instance’s class, so subclasses of a decorated base class do not share entries', async () => {
    const users = moduleRef.get(UsersService);
    const posts = moduleRef.get(PostsService);
    expect(await users.findOne(1)).toBe('users#1');
    expect(await posts.findOne(1)).toBe('posts#1');
    expect(await users.findOne(1)).toBe('users#1');
    expect(await posts.findOne(1)).toBe('posts#1');
    expect([users.loads, posts.loads]).toEqual([1, 1]);
    expect(await cache.containsKey(`UsersService:findOne:${escapeSegment('(1)')}`)).toBe(true);
    expect(await cache.containsKey(`PostsService:findOne:${escapeSegment('(1)')}`)).toBe(true);
  });

  it('names the subclass in E_UNKEYABLE_ARGUMENT', async () => {
    const users = moduleRef.get(UsersService);
    await expect(users.findOne(Symbol('x') as unknown as number)).rejects.toThrow(
      /^UsersService\.findOne: /,
    );
  });

  describe('rejects arguments it cannot key with E_UNKEYABLE_ARGUMENT', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const cases: [string, unknown[], string][] = [
      ['a request object', [fakeRequest()], 'argument 0'],
      ['a function', [1, () => 1], 'argument 1'],
      ['a circular object', [circular], 'argument 0'],
      ['a symbol', [Symbol('s')], 'argument 0'],
      ['a Map', [new Map([[1, 2]])], 'argument 0'],
      ['an invalid Date', [new Date(Number.NaN)], 'argument 0'],
      ['a request nested in a plain object', [{ req: fakeRequest() }], 'argument 0.req'],
      ['a function nested in an array', [[1, [2, Math.max]]], 'argument 0[1][1]'],
    ];

    it.each(cases)('%s', async (_label, args, where) => {
      const error = await catalog.search(...args).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CacheError);
      expect(error).toMatchObject({ code: 'E_UNKEYABLE_ARGUMENT' });
      const message = (error as CacheError).message;
      expect(message).toContain('Catalog.search');
      expect(message).toContain(where);
      expect(message).toContain('Pass an explicit key to @Cached');
      // The method never ran and nothing was cached.
      expect(catalog.calls).toHaveLength(0);
      expect(cache.stats()).toMatchObject({ loads: 0, size: 0 });
    });
  });

  it('does not look at the arguments when the key is explicit', async () => {
    expect(await catalog.withExplicitKey(fakeRequest(), () => 1)).toBe(1);
    expect(await catalog.withExplicitKey(fakeRequest(), () => 2)).toBe(1);
    expect(catalog.calls).toHaveLength(1);
  });
});
