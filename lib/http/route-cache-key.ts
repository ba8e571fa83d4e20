import type { RouteRequest } from './cache-route.decorator.js';

/**
 * Request headers that identify a caller by default: a request carrying one is cached only when
 * the route declares how it varies (`key`, or the header in `vary`). Routes and
 * `HydraCacheHttpModule` add their own with `privateHeaders`.
 */
export const DEFAULT_PRIVATE_HEADERS: readonly string[] = Object.freeze([
  'authorization',
  'cookie',
  'x-api-key',
]);

/** Prefix of every response-cache key, apart from the keys of method caches. */
export const ROUTE_KEY_PREFIX = 'http:';

/**
 * The safe part of a response's key: method (HEAD shares GET's entries, RFC 9110 §9.3.2), the
 * host unless `byHost` is false, path, the query sorted by name, and the values of the `vary`
 * headers. JSON keeps the parts apart, so no host, path or value can forge another request's key.
 */
export function routeKey(
  request: RouteRequest,
  vary: readonly string[] | undefined,
  byHost = true,
): string {
  const url = requestUrl(request);
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? '' : sortedQuery(url.slice(mark + 1));
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  // The host sits at a fixed place (null when not keyed by it): a multi-tenant app serves each
  // host its own page, and a handler that echoes `Host` cannot be poisoned by `Host: evil`.
  const host = byHost ? hostOf(request) : null;
  if (vary === undefined || vary.length === 0) {
    return `${ROUTE_KEY_PREFIX}${JSON.stringify([method, host, path, query])}`;
  }
  const varied = vary.map((name) => headerText(request.headers[name]));
  return `${ROUTE_KEY_PREFIX}${JSON.stringify([method, host, path, query, varied])}`;
}

/** True when the request carries one of `privateHeaders` that the route's `vary` does not name. */
export function hasUndeclaredCredentials(
  request: RouteRequest,
  vary: readonly string[] | undefined,
  privateHeaders: readonly string[] = DEFAULT_PRIVATE_HEADERS,
): boolean {
  for (const name of privateHeaders) {
    if (request.headers[name] !== undefined && !vary?.includes(name)) return true;
  }
  return false;
}

/** The host the request names (HTTP/1.1 `Host`, HTTP/2 `:authority`), lower-cased; `''` if none. */
function hostOf(request: RouteRequest): string {
  const host = headerText(request.headers.host ?? request.headers[':authority']);
  return host === null ? '' : host.toLowerCase();
}

/** The request target as received (Express keeps it in `originalUrl`, Fastify in `url`). */
function requestUrl(request: RouteRequest): string {
  const original = request.originalUrl;
  return typeof original === 'string' ? original : String(request.url);
}

/** The query with its parameters in name order (a stable sort keeps repeated names in order). */
function sortedQuery(query: string): string {
  if (query === '') return '';
  const params = new URLSearchParams(query);
  params.sort();
  return params.toString();
}

/** A header's value as one string; an absent header and an empty one differ. */
function headerText(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
