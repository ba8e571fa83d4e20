import { hasUndeclaredCredentials, routeKey } from '../../lib/http/route-cache-key.js';
import type { RouteRequest } from '../../lib/http/cache-route.decorator.js';

const req = (url: string, headers: RouteRequest['headers'] = {}, method = 'GET'): RouteRequest => ({
  method,
  url,
  headers,
});

describe('response-cache keys', () => {
  it('ignores the order of query parameters but keeps repeated ones in order', () => {
    expect(routeKey(req('/a?x=1&y=2'), undefined)).toBe(routeKey(req('/a?y=2&x=1'), undefined));
    expect(routeKey(req('/a?x=1&x=2'), undefined)).not.toBe(routeKey(req('/a?x=2&x=1'), undefined));
  });

  it('shares entries between GET and HEAD, not with other methods', () => {
    expect(routeKey(req('/a', {}, 'HEAD'), undefined)).toBe(routeKey(req('/a'), undefined));
    expect(routeKey(req('/a', {}, 'POST'), undefined)).not.toBe(routeKey(req('/a'), undefined));
  });

  it('keeps path, query and header values apart so none can forge another key', () => {
    expect(routeKey(req('/a?b'), undefined)).not.toBe(routeKey(req('/a%3Fb'), undefined));
    const vary = ['x-a', 'x-b'];
    expect(routeKey(req('/', { 'x-a': '1,2' }), vary)).not.toBe(
      routeKey(req('/', { 'x-a': '1', 'x-b': '2' }), vary),
    );
    expect(routeKey(req('/', {}), ['x-a'])).not.toBe(routeKey(req('/', { 'x-a': '' }), ['x-a']));
  });

  it('prefers Express originalUrl over a url rewritten by a mounted router', () => {
    const mounted = { ...req('/7'), originalUrl: '/products/7' };
    expect(routeKey(mounted, undefined)).toBe(routeKey(req('/products/7'), undefined));
  });

  it('keys by host (case-insensitively) unless told not to', () => {
    const a = req('/a', { host: 'a.example' });
    expect(routeKey(a, undefined)).not.toBe(routeKey(req('/a', { host: 'b.example' }), undefined));
    expect(routeKey(a, undefined)).toBe(routeKey(req('/a', { host: 'A.example' }), undefined));
    expect(routeKey(a, undefined, false)).toBe(
      routeKey(req('/a', { host: 'b.example' }), undefined, false),
    );
    // A host cannot pose as a path, nor the unkeyed form as a keyed one.
    expect(routeKey(req('/a', { host: '' }), undefined)).not.toBe(routeKey(a, undefined, false));
  });

  it('flags X-Api-Key by default and the private headers it is given', () => {
    expect(hasUndeclaredCredentials(req('/', { 'x-api-key': 'k' }), undefined)).toBe(true);
    expect(hasUndeclaredCredentials(req('/', { 'x-tenant': 't' }), undefined)).toBe(false);
    expect(hasUndeclaredCredentials(req('/', { 'x-tenant': 't' }), undefined, ['x-tenant'])).toBe(
      true,
    );
    expect(
      hasUndeclaredCredentials(req('/', { 'x-tenant': 't' }), ['x-tenant'], ['x-tenant']),
    ).toBe(false);
  });

  it('flags Authorization and Cookie unless vary names them', () => {
    expect(hasUndeclaredCredentials(req('/', { cookie: 'a=1' }), undefined)).toBe(true);
    expect(hasUndeclaredCredentials(req('/', { authorization: 'x' }), ['cookie'])).toBe(true);
    expect(hasUndeclaredCredentials(req('/', { cookie: 'a=1' }), ['cookie'])).toBe(false);
    expect(hasUndeclaredCredentials(req('/', {}), undefined)).toBe(false);
  });
});
