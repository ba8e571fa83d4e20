import 'reflect-metadata';
import { attachHydraCache, Cached, CacheError, HydraCache } from '../../../lib/index.js';

/** Counts runs so a test can tell a hit (shared entry) from a miss (own entry). */
class Catalog {
  runs = 0;

  @Cached()
  async search(..._args: unknown[]): Promise<number> {
    return ++this.runs;
  }
}

function setUp(): { catalog: Catalog; cache: HydraCache } {
  const cache = HydraCache.local().build();
  return { catalog: attachHydraCache(new Catalog(), cache), cache };
}

async function refusal(promise: Promise<unknown>): Promise<CacheError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CacheError)) throw new Error(`expected a CacheError, got ${error}`);
  return error;
}

describe('default keys: different arguments never share an entry', () => {
  const withExtra = Object.assign([1], { extra: true });
  // eslint-disable-next-line no-sparse-arrays
  const hole = [, 1];
  it.each([
    ['[] vs [ <1 empty item> ]', [], new Array(1)],
    ['[undefined] vs [ <1 empty item> ]', [undefined], new Array(1)],
    ['[undefined, 1] vs [ <hole>, 1 ]', [undefined, 1], hole],
    ['{} vs { a: undefined }', {}, { a: undefined }],
  ])('%s', async (_label, first, second) => {
    const { catalog } = setUp();
    expect(await catalog.search(first)).toBe(1);
    expect(await catalog.search(second)).toBe(2);
    expect(await catalog.search(first)).toBe(1);
    expect(await catalog.search(second)).toBe(2);
  });

  it.each([
    ['an object with a symbol-keyed field', { [Symbol('x')]: 1 }, 'symbol-keyed'],
    ['an array with an extra property', withExtra, 'extra property'],
    ['an object with a hidden field', Object.defineProperty({}, 'a', { value: 1 }), 'non-enum'],
  ])('refuses %s rather than keying it like its visible part', async (_l, arg, text) => {
    const { catalog } = setUp();
    const error = await refusal(catalog.search(arg));
    expect(error.code).toBe('E_UNKEYABLE_ARGUMENT');
    expect(error.message).toContain(text);
    expect(catalog.runs).toBe(0);
  });

  it('gives methods named by different symbols with one description their own entries', async () => {
    const first = Symbol('find');
    const second = Symbol('find');
    class Finder {
      runs = 0;
      @Cached()
      async [first](id: number): Promise<string> {
        return `first ${id} #${++this.runs}`;
      }
      @Cached()
      async [second](id: number): Promise<string> {
        return `second ${id} #${++this.runs}`;
      }
    }
    const finder = attachHydraCache(new Finder(), HydraCache.local().build());
    expect(await finder[first](1)).toBe('first 1 #1');
    expect(await finder[second](1)).toBe('second 1 #2');
    expect(await finder[first](1)).toBe('first 1 #1');
  });
});

describe('default keys: hostile arguments are refused with E_UNKEYABLE_ARGUMENT', () => {
  const throwing = {
    get id(): number {
      throw new Error('boom');
    },
  };
  const deep: Record<string, unknown> = {};
  let level = deep;
  for (let i = 0; i < 5000; i++) level = (level.next = {}) as Record<string, unknown>;
  const deepArray: unknown[] = [];
  let cell = deepArray;
  for (let i = 0; i < 5000; i++) cell = cell[0] = [] as unknown[];

  it.each([
    ['a throwing getter', throwing, 'argument 0.id', 'getter that throws'],
    ['a Proxy', new Proxy({ a: 1 }, {}), 'argument 0', 'a Proxy'],
    [
      'a Proxy whose traps throw',
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap');
          },
          getPrototypeOf() {
            throw new Error('trap');
          },
        },
      ),
      'argument 0',
      'a Proxy',
    ],
    ['a Proxy inside an array', [1, new Proxy([], {})], 'argument 0[1]', 'a Proxy'],
    ['objects nested 5000 deep', deep, 'argument 0.next', 'deeper than 64'],
    ['arrays nested 5000 deep', deepArray, 'argument 0[0]', 'deeper than 64'],
  ])('%s', async (_l, arg, where, what) => {
    const { catalog, cache } = setUp();
    const error = await refusal(catalog.search(arg));
    expect(error.code).toBe('E_UNKEYABLE_ARGUMENT');
    expect(error.message).toContain('Catalog.search');
    expect(error.message).toContain(where);
    expect(error.message).toContain(what);
    expect(catalog.runs).toBe(0);
    expect(cache.stats().loads).toBe(0);
  });

  it('accepts nesting up to the documented depth', async () => {
    const { catalog } = setUp();
    let value: unknown = 1;
    for (let i = 0; i < 63; i++) value = [value];
    expect(await catalog.search(value)).toBe(1);
    expect(await catalog.search(value)).toBe(1);
  });
});
