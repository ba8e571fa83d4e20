import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { CacheError } from '../../../lib/index.js';
import { defaultKey } from '../../../lib/nest/default-key.js';
import type { MethodSite } from '../../../lib/nest/method-site.js';

class PageDto {
  constructor(
    readonly page: unknown,
    readonly size: unknown,
  ) {}
}

class OtherDto {
  constructor(
    readonly page: unknown,
    readonly size: unknown,
  ) {}
}

class Site {}
const site: MethodSite = {
  label: 'Site.m',
  className: 'Site',
  methodName: 'm',
  propertyKey: 'm',
  owner: Site,
};

// A small domain, so that two random argument lists often print alike: that is where a key
// collision would show. -0 is keyed like 0 on purpose (documented); generate only 0.
const leaf = fc.oneof(
  fc.constantFrom('', 'a', '1', 'null', 'undefined', '"', ',', '<hole>'),
  fc.integer({ min: -1, max: 1 }).map((n) => (n === 0 ? 0 : n)),
  fc.constantFrom(1.5, Number.NaN, Infinity, 1n, 0n),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(new Date(0), new Date(1)),
);

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.sparseArray(tie('value'), { maxLength: 3 }),
    // Null-prototype objects key like plain objects on purpose (documented): generate plain ones.
    fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3, noNullPrototype: true }),
    fc
      .tuple(fc.boolean(), tie('value'), tie('value'))
      .map(([pick, page, size]) => (pick ? new PageDto(page, size) : new OtherDto(page, size))),
  ),
}));

function keyOrRefusal(cache: object, args: unknown[]): string | undefined {
  try {
    return defaultKey(cache, '', site, args);
  } catch (error) {
    if (error instanceof CacheError && error.code === 'E_UNKEYABLE_ARGUMENT') return undefined;
    throw error;
  }
}

describe('default keys (property)', () => {
  it('different argument lists give different keys, or are refused', () => {
    const cache = {};
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3 }), fc.array(value, { maxLength: 3 }), (a, b) => {
        const keyA = keyOrRefusal(cache, a);
        const keyB = keyOrRefusal(cache, b);
        if (keyA !== undefined && keyA === keyB) {
          expect(isDeepStrictEqual(a, b)).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('an argument list and its clone give the same key', () => {
    const cache = {};
    fc.assert(
      fc.property(fc.clone(fc.array(value, { maxLength: 3 }), 2), ([a, b]) => {
        expect(keyOrRefusal(cache, a)).toBe(keyOrRefusal(cache, b));
      }),
      { numRuns: 500 },
    );
  });
});
