import type { RouteRequest } from './cache-route.decorator.js';

/** Request headers that identify a caller: a request carrying one is cached only when declared. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie'] as const;

/** Prefix of every response-cache key, apart from the keys of method caches. */
export const ROUTE_KEY_PREFIX = 'http:';

/**
 * The safe part of a response's key: method (HEAD shares GET's entries, RFC 9110 §9.3.2),
 * path, the query sorted by name, and the values of the `vary` headers. JSON keeps the parts
 * apart, so no path or value can forge another request's key.
 */
export function routeKey(request: RouteRequest, vary: readonly string[] | undefined): string {
  const url = requestUrl(request);
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? '' : sortedQuery(url.slice(mark + 1));
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  if (vary === undefined || vary.length === 0) {
    return `${ROUTE_KEY_PREFIX}${JSON.stringify([method, path, query])}`;
  }
  const varied = vary.map((name) => headerText(request.headers[name]));
  return `${ROUTE_KEY_PREFIX}${JSON.stringify([method, path, query, varied])}`;
}

/** True when the request carries a credential header that the route's `vary` does not name. */
export function hasUndeclaredCredentials(
  request: RouteRequest,
  vary: readonly string[] | undefined,
): boolean {
  for (const name of CREDENTIAL_HEADERS) {
    if (request.headers[name] !== undefined && !vary?.includes(name)) return true;
  }
  return false;
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
