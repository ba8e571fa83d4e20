import { isDeepStrictEqual } from 'node:util';
import { runInNewContext } from 'node:vm';
import { copiesThroughCache } from '../support/through-cache.js';

/** Checks every copy a cache hands out (put/get and a load with joiners) with `check`. */
async function expectEachCopy(make: () => unknown, check: (copy: unknown) => void): Promise<void> {
  const copies = await copiesThroughCache(make);
  expect(copies).toHaveLength(7);
  for (const copy of copies) check(copy);
}

/** Deep strict equality (prototypes, holes, -0 and NaN included) with what `make` builds. */
const exactly = (make: () => unknown) => (copy: unknown) =>
  expect(isDeepStrictEqual(copy, make())).toBe(true);

class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} not found`, options);
  }
}

describe('what survives the round trip through a cache, exactly', () => {
  it.each<[string, () => unknown]>([
    ['plain objects and arrays', () => ({ a: [1, { b: 'c' }], d: {} })],
    ['strings, including non-Latin text', () => ['', 'Grüße, 世界 🙂', '\u0000']],
    ['numbers, including NaN and infinities', () => [0, 1.5, -7, NaN, Infinity, -Infinity]],
    ['bigints', () => [1n, -(2n ** 70n)]],
    ['booleans and null', () => [true, false, null]],
    ['undefined inside objects and arrays', () => ({ u: undefined, list: [undefined, 1] })],
    ['Dates', () => [new Date(1_700_000_000_123), new Date(-1)]],
    [
      'Maps with any keys',
      () =>
        new Map<unknown, unknown>([
          [{ k: 1 }, [1]],
          ['s', new Date(5)],
        ]),
    ],
    ['Sets', () => new Set<unknown>([1, 'a', { o: true }])],
    ['typed arrays', () => [new Uint8Array([1, 2]), new Float64Array([0.5]), new Int32Array([-1])]],
    ['ArrayBuffers', () => new Uint8Array([9, 8]).buffer],
    ['Buffers', () => ({ file: Buffer.from('hello') })],
    ['RegExps (source and flags)', () => [/a+b/giu, /x/]],
    ['objects without a prototype', () => Object.assign(Object.create(null) as object, { a: 1 })],
    ['objects with an own constructor key', () => ({ constructor: 'x', other: 1 })],
  ])('%s', async (_label, make) => {
    await expectEachCopy(make, exactly(make));
  });

  it('an invalid Date', async () => {
    await expectEachCopy(
      () => new Date(NaN),
      (copy) => {
        expect(copy).toBeInstanceOf(Date);
        expect((copy as Date).getTime()).toBeNaN();
      },
    );
  });

  it('-0', async () => {
    await expectEachCopy(
      () => ({ zero: -0, list: [-0, 0] }),
      (copy) => {
        const { zero, list } = copy as { zero: number; list: number[] };
        expect(Object.is(zero, -0)).toBe(true);
        expect(Object.is(list[0], -0)).toBe(true);
        expect(Object.is(list[1], 0)).toBe(true);
      },
    );
    await expectEachCopy(
      () => -0,
      (copy) => expect(Object.is(copy, -0)).toBe(true),
    );
  });

  it('strings with lone surrogates, as values and as keys', async () => {
    const make = () => ({ lone: 'a\ud800b', tail: '\udfff', ['k\ud801']: 1 });
    await expectEachCopy(make, (copy) => {
      expect(Object.keys(copy as object)).toEqual(['lone', 'tail', 'k\ud801']);
      expect(copy).toEqual(make());
    });
  });

  it('array holes, distinct from undefined', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const make = () => ({ sparse: [1, , 3], long: Object.assign(new Array(5), { 2: 'x' }) });
    await expectEachCopy(make, (copy) => {
      const { sparse, long } = copy as ReturnType<typeof make>;
      expect(1 in sparse).toBe(false);
      expect(sparse).toHaveLength(3);
      expect(Object.keys(long)).toEqual(['2']);
      expect(long).toHaveLength(5);
      expect(isDeepStrictEqual(copy, make())).toBe(true);
    });
  });

  it('an own __proto__ key, as an own data property (the prototype unchanged)', async () => {
    const make = (): unknown => JSON.parse('{"__proto__": {"x": 1}, "y": 2}');
    await expectEachCopy(make, (copy) => {
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ x: 1 });
      expect(Object.keys(copy as object)).toEqual(['__proto__', 'y']);
      expect((copy as { x?: unknown }).x).toBeUndefined();
    });
  });

  it('Errors: class, name, message, stack, cause and own fields such as code', async () => {
    const make = () => ({
      type: Object.assign(new TypeError('bad input', { cause: new RangeError('inner') }), {
        code: 'E_BAD',
      }),
      custom: new NotFoundError('user', { cause: { id: 7 } }),
      aggregate: new AggregateError([new Error('one')], 'many'),
    });
    await expectEachCopy(make, (copy) => {
      const { type, custom, aggregate } = copy as ReturnType<typeof make>;
      expect(type).toBeInstanceOf(TypeError);
      expect(type.name).toBe('TypeError');
      expect(type.message).toBe('bad input');
      expect(type.code).toBe('E_BAD');
      expect(type.cause).toBeInstanceOf(RangeError);
      expect((type.cause as Error).message).toBe('inner');
      // The stack recorded where the error was made, not where the copy was.
      expect(type.stack).toMatch(/^TypeError: bad input\n\s+at .*codec-round-trips\.spec\.ts/);
      expect(Object.keys(type)).toEqual(['code']);
      expect(custom).toBeInstanceOf(NotFoundError);
      expect(custom.name).toBe('NotFoundError');
      expect(custom.entity).toBe('user');
      expect(custom.cause).toEqual({ id: 7 });
      expect(aggregate).toBeInstanceOf(AggregateError);
      expect(aggregate.errors[0]).toBeInstanceOf(Error);
      expect(Object.prototype.toString.call(type)).toBe('[object Error]');
    });
  });
});

describe('what does not survive, exactly as the README lists it', () => {
  it('symbol-keyed and non-enumerable properties are dropped (except on Errors)', async () => {
    const make = () => {
      const value = { kept: 1, [Symbol('s')]: 2 };
      Object.defineProperty(value, 'hidden', { value: 3, enumerable: false });
      return value;
    };
    await expectEachCopy(make, (copy) => {
      expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
      expect(Object.getOwnPropertyNames(copy)).toEqual(['kept']);
    });
  });

  it('properties added to arrays and Maps beyond their elements are dropped', async () => {
    const make = () => ({
      list: Object.assign([1], { extra: true }),
      map: Object.assign(new Map([[1, 1]]), { extra: true }),
    });
    await expectEachCopy(make, (copy) => {
      const { list, map } = copy as ReturnType<typeof make>;
      expect(list.extra).toBeUndefined();
      expect(map.extra).toBeUndefined();
      expect(list).toEqual([1]);
    });
  });

  it('an own getter is stored as the value it returned', async () => {
    let reads = 0;
    const make = () => ({
      get now() {
        return ++reads;
      },
    });
    await expectEachCopy(make, (copy) => {
      const descriptor = Object.getOwnPropertyDescriptor(copy, 'now');
      expect(descriptor).toMatchObject({ writable: true, enumerable: true });
      expect(typeof descriptor?.value).toBe('number');
    });
  });

  it('shared references become separate copies; frozen objects come back unfrozen', async () => {
    const make = () => {
      const shared = Object.freeze({ n: 1 });
      return { a: shared, b: shared };
    };
    await expectEachCopy(make, (copy) => {
      const { a, b } = copy as ReturnType<typeof make>;
      expect(a).toEqual(b);
      expect(a).not.toBe(b);
      expect(Object.isFrozen(a)).toBe(false);
    });
  });

  it('a Proxy is stored as what its traps report', async () => {
    const make = () =>
      new Proxy({ real: 1 } as Record<string, unknown>, {
        get: (target, key) => (key === 'real' ? 'trapped' : target[key as string]),
      });
    await expectEachCopy(make, (copy) => {
      expect(copy).toEqual({ real: 'trapped' });
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    });
  });

  it("built-ins of another realm come back as this realm's", async () => {
    const make = () =>
      runInNewContext(
        '({ plain: { a: 1 }, list: [1], at: new Date(5), map: new Map([[1, 2]]), bytes: new Uint8Array([3]) })',
      ) as Record<string, unknown>;
    await expectEachCopy(make, (copy) => {
      const { plain, list, at, map, bytes } = copy as Record<string, unknown>;
      expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
      expect(list).toEqual([1]);
      expect(at).toEqual(new Date(5));
      expect(map).toEqual(new Map([[1, 2]]));
      expect(bytes).toEqual(new Uint8Array([3]));
    });
  });

  it('a RegExp comes back with lastIndex 0', async () => {
    const make = () => {
      const pattern = /a/g;
      pattern.lastIndex = 1;
      return pattern;
    };
    await expectEachCopy(make, (copy) => expect((copy as RegExp).lastIndex).toBe(0));
  });
});
