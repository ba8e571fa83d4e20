import 'reflect-metadata';
import { Cached, CacheError, InvalidateKeys, InvalidateTags } from '../../../lib/index.js';

/** Applies `decorator` to a fresh class's method, as TypeScript does at class definition. */
function decorate(decorator: (...args: any[]) => unknown): void {
  class Target {
    async method(): Promise<number> {
      return 1;
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Target.prototype, 'method')!;
  decorator(Target.prototype, 'method', descriptor);
}

function decorationError(decorator: () => (...args: any[]) => unknown): CacheError {
  try {
    decorate(decorator());
  } catch (error) {
    return error as CacheError;
  }
  throw new Error('expected the decoration to fail');
}

describe('decorator options are validated when the class is defined', () => {
  it.each([
    ['ttl 0', () => Cached({ ttl: 0 }), 'ttl'],
    ['ttl negative', () => Cached({ ttl: -5 }), 'ttl'],
    ['ttl NaN', () => Cached({ ttl: Number.NaN }), 'ttl'],
    ['ttl as text', () => Cached({ ttl: '60s' as any }), 'ttl'],
    ['namespace not a string', () => Cached({ namespace: 42 as any }), 'namespace'],
    ['unless not a function', () => Cached({ unless: true as any }), 'unless'],
    ['resultTags not a function', () => Cached({ resultTags: ['x'] as any }), 'resultTags'],
    ['fixed tags with a non-string', () => Cached({ tags: ['ok', 7] as any }), 'tags'],
    ['tags of a wrong type', () => Cached({ tags: 7 as any }), 'tags'],
    ['options not an object', () => Cached('key' as any), '@Cached'],
    ['@InvalidateTags with nothing', () => InvalidateTags({}), '@InvalidateTags'],
    ['@InvalidateKeys with nothing', () => InvalidateKeys({}), '@InvalidateKeys'],
  ])('%s -> E_INVALID_OPTION naming the field', (_label, make, field) => {
    const error = decorationError(make);
    expect(error).toBeInstanceOf(CacheError);
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain(`"${field}"`);
  });

  it.each([
    ['@Cached({ tag })', () => Cached({ tag: 'users' } as any), '"tag" in @Cached'],
    ['@Cached({ ttls })', () => Cached({ ttls: 5 } as any), '"ttls" in @Cached'],
    ['@Cached({ keys })', () => Cached({ keys: 'k' } as any), '"keys" in @Cached'],
    [
      '@InvalidateTags({ tags, resultTag })',
      () => InvalidateTags({ tags: 'a', resultTag: () => 'b' } as any),
      '"resultTag" in @InvalidateTags',
    ],
    [
      '@InvalidateKeys({ keys, resultKey })',
      () => InvalidateKeys({ keys: 'a', resultKey: () => 'b' } as any),
      '"resultKey" in @InvalidateKeys',
    ],
  ])('%s: an unknown field held in a variable -> E_INVALID_OPTION naming it', (_l, make, named) => {
    const error = decorationError(make);
    expect(error).toBeInstanceOf(CacheError);
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain(named);
  });

  it.each([
    ['a Date', () => Cached(new Date() as any), '@Cached'],
    ['a Map', () => Cached(new Map([['ttl', 5]]) as any), '@Cached'],
    ['an array', () => Cached([{ ttl: 5 }] as any), '@Cached'],
    ['a class instance', () => Cached(new (class Opts {})() as any), '@Cached'],
    ['a Date for @InvalidateTags', () => InvalidateTags(new Date() as any), 'tags'],
    ['a Date for @InvalidateKeys', () => InvalidateKeys(new Date() as any), 'Invalid cache key'],
  ])('options given as %s -> refused at decoration', (_l, make, text) => {
    const error = decorationError(make);
    expect(error).toBeInstanceOf(CacheError);
    expect(['E_INVALID_OPTION', 'E_INVALID_KEY']).toContain(error.code);
    expect(error.message).toContain(text);
  });

  it('fixed @InvalidateTags tags are checked when the class is defined', () => {
    const error = decorationError(() => InvalidateTags(['ok', 7] as any));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain('"tags"');
  });

  it('accepts valid options', () => {
    expect(() =>
      decorate(
        Cached({
          key: 'k',
          ttl: Infinity,
          tags: ['a'],
          namespace: 'ns',
          unless: () => false,
          resultTags: () => [],
        }),
      ),
    ).not.toThrow();
    expect(() => decorate(Cached())).not.toThrow();
  });

  it('refuses to decorate something that is not a method', () => {
    class Target {
      value = 1;
    }
    expect(() => Cached()(Target.prototype, 'value', { value: 1 as any, writable: true })).toThrow(
      TypeError,
    );
  });
});
