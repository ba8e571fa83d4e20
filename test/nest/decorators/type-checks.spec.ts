import 'reflect-metadata';
import {
  attachHydraCache,
  Cached,
  HydraCache,
  InvalidateKeys,
  InvalidateTags,
  type CacheErrorCode,
  type NestCacheErrorCode,
} from '../../../lib/index.js';

/*
 * Type-level checks. `npm run typecheck` compiles this file: each `@ts-expect-error` below must
 * meet a type error, or the compilation fails with "Unused '@ts-expect-error' directive". The
 * runtime tests only make sure the class still loads and the decorated methods stay async.
 */

class Checked {
  // A sync method cannot be @Cached: its result is not a Promise.
  // @ts-expect-error -- Type 'number' is not assignable to type 'Promise<any>'.
  @Cached({ key: 'sync' })
  syncMethod(): number {
    return 1;
  }

  // @ts-expect-error -- sync methods are rejected without options too.
  @Cached()
  syncNoOptions(): string {
    return 'x';
  }

  // @ts-expect-error -- and by the invalidation decorators.
  @InvalidateTags('t')
  syncInvalidate(): void {}

  // The key function takes a string, the method a number.
  // @ts-expect-error -- Types of parameters 'id' and 'id' are incompatible.
  @Cached({ key: (id: string) => `user:${id}` })
  async keyTypeMismatch(id: number): Promise<number> {
    return id;
  }

  // The tags function's parameters must match the method's too.
  // @ts-expect-error -- Types of parameters 'id' and 'id' are incompatible.
  @Cached({ key: 'k', tags: (id: string) => [id] })
  async tagsTypeMismatch(id: number): Promise<number> {
    return id;
  }

  // `unless` sees the method's result type.
  // @ts-expect-error -- Type 'Promise<number>' is not assignable to type 'Promise<string>'.
  @Cached({ key: 'k', unless: (result: string) => result === '' })
  async unlessTypeMismatch(): Promise<number> {
    return 1;
  }

  // @ts-expect-error -- @InvalidateTags argument functions are checked the same way.
  @InvalidateTags((id: string) => [`user:${id}`])
  async invalidateTagsMismatch(id: number): Promise<number> {
    return id;
  }

  // @ts-expect-error -- and so are @InvalidateKeys ones.
  @InvalidateKeys((id: string) => `user:${id}`)
  async invalidateKeysMismatch(id: number): Promise<number> {
    return id;
  }

  // The issue's own example: the tags function names only the parameter it uses.
  @InvalidateTags((id: number) => [`user:${id}`, 'users'])
  async update(id: number, patch: { name?: string }): Promise<{ id: number; name?: string }> {
    return { id, ...patch };
  }

  // Same for @Cached: key and tags from the first parameter of a two-parameter method.
  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async findOne(id: number, _includeDeleted = false): Promise<{ id: number }> {
    return { id };
  }

  // A prefix must still match: the first parameter is a number, not a string.
  // @ts-expect-error -- Types of parameters 'id' and 'id' are incompatible.
  @InvalidateTags((id: string) => [`user:${id}`])
  async updateMismatch(id: number, _patch: object): Promise<number> {
    return id;
  }

  // Matching types compile: a prefix of the parameters is enough.
  @Cached({
    key: (id: number, _locale: string) => `user:${id}`,
    tags: (id: number) => [`user:${id}`],
    resultTags: (user: { id: number }, _id: number, locale: string) => [`locale:${locale}`],
    unless: (user: { id: number }) => user.id < 0,
  })
  async wellTyped(id: number, _locale: string): Promise<{ id: number }> {
    return { id };
  }
}

describe('type-level checks', () => {
  it('compiles (see npm run typecheck) and the class still loads', async () => {
    const checked = attachHydraCache(new Checked(), new HydraCache());
    expect(await checked.wellTyped(1, 'en')).toEqual({ id: 1 });
    expect(await checked.update(1, { name: 'ada' })).toEqual({ id: 1, name: 'ada' });
    expect(await checked.findOne(2, true)).toEqual({ id: 2 });
    // At run time a sync method decorated anyway comes back async: the wrapper returns a promise.
    const result: unknown = checked.syncMethod();
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(1);
  });
});

describe('CacheErrorCode', () => {
  it('is the union of the core codes and the Nest codes declared in lib/nest', () => {
    const codes: CacheErrorCode[] = ['E_ENCODE', 'E_NO_CACHE', 'E_UNKEYABLE_ARGUMENT'];
    const nest: NestCacheErrorCode[] = ['E_NO_CACHE', 'E_DEFAULT_KEY_CLASH'];
    // @ts-expect-error -- a core code is not a Nest code.
    const wrong: NestCacheErrorCode = 'E_ENCODE';
    expect([...codes, ...nest, wrong]).toHaveLength(6);
  });
});
