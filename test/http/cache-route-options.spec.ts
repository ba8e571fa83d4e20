import 'reflect-metadata';
import { CacheError } from '../../lib/index.js';
import { CacheRoute, HydraCacheHttpModule, type CacheRouteOptions } from '../../lib/http/index.js';

function errorOf(options: unknown): CacheError {
  try {
    CacheRoute(options as CacheRouteOptions);
  } catch (error) {
    return error as CacheError;
  }
  throw new Error('expected CacheRoute to throw');
}

describe('@CacheRoute options', () => {
  it.each([
    ['a negative ttl', { ttl: -1 }, /"ttl"/],
    ['tags that are not strings', { tags: [1] }, /"tags"/],
    ['a key that is not a function', { key: 'user' }, /"key"/],
    ['vary that is not header names', { vary: 'accept' }, /"vary"/],
    ['public that is not a boolean', { public: 'yes', ttl: 1000 }, /"public"/],
    ['public without a ttl', { public: true }, /"public".*ttl/],
    ['an unknown tag header', { ttl: 1000, tagHeader: 'X-Tags' }, /"tagHeader"/],
    ['a misspelt option', { tag: 'a' }, /Unknown option "tag"/],
    ['varyByHost that is not a boolean', { varyByHost: 'no' }, /"varyByHost"/],
    ['privateHeaders that are not header names', { privateHeaders: ['a b'] }, /"privateHeaders"/],
  ])('refuses %s with E_INVALID_OPTION', (_, options, message) => {
    const error = errorOf(options);
    expect(error).toBeInstanceOf(CacheError);
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  it('accepts every option together', () => {
    expect(() =>
      CacheRoute({
        ttl: 1000,
        tags: (req) => `product:${req.params?.id}`,
        resultTags: () => ['a'],
        key: (req) => String(req.headers['x-user']),
        vary: ['Accept-Language'],
        public: true,
        tagHeader: 'Cache-Tag',
        privateHeaders: ['X-Tenant'],
        varyByHost: false,
      }),
    ).not.toThrow();
  });

  it.each([
    [{ varyByHost: 1 }, /"varyByHost"/],
    [{ privateHeaders: 'x-tenant' }, /"privateHeaders"/],
    [{ vary: [1] }, /"vary"/],
    [{ varyByhost: false }, /Unknown option "varyByhost"/],
  ])('HydraCacheHttpModule.forRoot refuses %j with E_INVALID_OPTION', (options, message) => {
    let error: unknown;
    try {
      HydraCacheHttpModule.forRoot(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
    expect((error as CacheError).message).toMatch(message);
  });
});
