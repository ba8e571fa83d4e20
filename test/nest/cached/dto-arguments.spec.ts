import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { attachHydraCache, Cached, CacheError, HydraCache } from '../../../lib/index.js';

/** DTOs as `ValidationPipe({ transform: true })` builds them: through `plainToInstance`. */
class SearchUsersDto {
  name?: string;
  page?: number;
}

class SearchPostsDto {
  name?: string;
  page?: number;
}

class Pagination {
  page!: number;
  size!: number;
}

class ListDto {
  filter?: SearchUsersDto;
  pages?: Pagination[];
}

/** Methods-only state: nothing in own fields to key by. */
class Clock {
  now(): number {
    return 1;
  }
}

class Users {
  runs = 0;

  @Cached()
  async search(..._args: unknown[]): Promise<number> {
    return ++this.runs;
  }
}

function setUp(): Users {
  return attachHydraCache(new Users(), HydraCache.local().build());
}

async function refusal(promise: Promise<unknown>): Promise<CacheError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CacheError)) throw new Error(`expected a CacheError, got ${error}`);
  return error;
}

describe('@Cached default keys with DTO instances', () => {
  it('hits for equal DTOs and misses for different ones', async () => {
    const users = setUp();
    const dto = (plain: object) => plainToInstance(SearchUsersDto, plain);
    expect(await users.search(dto({ name: 'ada', page: 1 }))).toBe(1);
    expect(await users.search(dto({ page: 1, name: 'ada' }))).toBe(1);
    expect(await users.search(dto({ name: 'ada', page: 2 }))).toBe(2);
  });

  it('keys nested DTOs and arrays of them', async () => {
    const users = setUp();
    const list = (size: number) =>
      plainToInstance(ListDto, { filter: { name: 'a' }, pages: [{ page: 1, size }] });
    expect(await users.search(list(10))).toBe(1);
    expect(await users.search(list(10))).toBe(1);
    expect(await users.search(list(20))).toBe(2);
  });

  it('puts the class name in the key, so two DTO classes with equal fields differ', async () => {
    const users = setUp();
    const fields = { name: 'ada', page: 1 };
    expect(await users.search(plainToInstance(SearchUsersDto, fields))).toBe(1);
    expect(await users.search(plainToInstance(SearchPostsDto, fields))).toBe(2);
    expect(await users.search({ ...fields })).toBe(3);
    expect(await users.search(plainToInstance(SearchUsersDto, fields))).toBe(1);
  });

  it('refuses a second class with the same name instead of sharing its keys', async () => {
    const users = setUp();
    const make = () =>
      class SameNameDto {
        constructor(readonly id: number) {}
      };
    const First = make();
    const Second = make();
    expect(await users.search(new First(1))).toBe(1);
    const error = await refusal(users.search(new Second(1)));
    expect(error.code).toBe('E_DEFAULT_KEY_CLASH');
    expect(error.message).toContain('SameNameDto');
    expect(users.runs).toBe(1);
  });

  it.each([
    ['a Map', new Map([['a', 1]]), 'Map'],
    ['a Set', new Set([1]), 'Set'],
    ['a Promise', Promise.resolve(1), 'Promise'],
    ['an instance with methods only', new Clock(), 'Clock with no own data'],
    ['an anonymous class instance', new (class {})(), 'not a named class'],
    ['a DTO holding a function', Object.assign(new SearchUsersDto(), { name: () => 1 }), '.name'],
  ])('refuses %s with E_UNKEYABLE_ARGUMENT', async (_l, arg, text) => {
    const users = setUp();
    const error = await refusal(users.search(arg));
    expect(error.code).toBe('E_UNKEYABLE_ARGUMENT');
    expect(error.message).toContain('Users.search');
    expect(error.message).toContain(text);
    expect(error.message).toContain('Pass an explicit key to @Cached');
    expect(users.runs).toBe(0);
  });
});
