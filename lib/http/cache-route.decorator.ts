import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import { CacheErrors } from '../core/cache.errors.js';
import { checkDuration, checkFunction, checkTtl } from '../core/cache-options.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';
import { tagList, type TagSet } from '../core/tag-set.js';
import { checkBoolean, checkHeaderNames } from './http-cache.options.js';

/** Tags as `@CacheRoute` accepts them: one string, an iterable of strings, or a TagSet. */
export type RouteTags = string | Iterable<string> | TagSet;

/** The HTTP request as Express and Fastify both shape it (the fields the interceptor reads). */
export interface RouteRequest {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params?: Record<string, string>;
  readonly query?: unknown;
  readonly [field: string]: unknown;
}

/** A value computed per request from the request and its execution context. */
export type FromRequest<V> = (request: RouteRequest, context: ExecutionContext) => V;

/** Response headers that carry a cached route's tags for a CDN purge. */
export type TagHeader = 'Surrogate-Key' | 'Cache-Tag';

/** Options of {@link CacheRoute}; on a controller they apply to every route, a route's own win. */
export interface CacheRouteOptions {
  /** Time to live in milliseconds (> 0, or `Infinity`). Default: the cache's `defaultTtl`. */
  ttl?: number;
  /** Invalidation tags, or a function of the request (e.g. its route params). Default: none. */
  tags?: RouteTags | FromRequest<RouteTags>;
  /** Tags computed from the handler's result, with the core's stale-load safety. Default: none. */
  resultTags?: (body: unknown) => RouteTags;
  /**
   * How the response varies per caller (e.g. `(req) => req.user?.id`): appended to the safe key.
   * Declaring it allows caching requests that carry `Authorization` or `Cookie`; returning
   * `undefined` serves that request uncached. Default: none (such requests are not cached).
   */
  key?: FromRequest<string | number | undefined>;
  /**
   * Request headers whose values are part of the key, e.g. `['accept-language']`; sent back in
   * `Vary`. Naming a private header (`authorization`, `cookie`, `x-api-key`, `privateHeaders`)
   * declares that the route varies by it. Added to `HydraCacheHttpModule`'s `vary`. Default: none.
   */
  vary?: readonly string[];
  /**
   * Request headers that identify a caller on this route (e.g. `['x-tenant-token']`), besides
   * `authorization`, `cookie`, `x-api-key` and the module's: a request carrying one is served
   * uncached unless `key` or `vary` declares it. Default: none.
   */
  privateHeaders?: readonly string[];
  /**
   * Key the response by the request's `Host` too. Default: `HydraCacheHttpModule`'s
   * `varyByHost`, itself true.
   */
  varyByHost?: boolean;
  /**
   * Shared caches may store the response: `Cache-Control: public, max-age=<ttl in s>` (needs
   * `ttl`, and is never sent for requests keyed per caller). Default: false (`private`).
   */
  public?: boolean;
  /** Also send the entry's tags in this header (`Surrogate-Key` space-separated, `Cache-Tag` comma-separated). Default: none. */
  tagHeader?: TagHeader;
  /**
   * How long past its TTL a cached response may still be served, in milliseconds (>= 0): while it
   * is refreshed in the background, or instead of the handler's error (fail-safe; see the core's
   * `grace`). Public routes also send it as `stale-while-revalidate` and `stale-if-error`.
   * Invalidated responses are never served stale. Default: the cache's `grace`.
   */
  grace?: number;
}

/** The metadata key under which {@link CacheRoute} records its options. */
export const CACHE_ROUTE_METADATA = Symbol.for('hydracache:cache-route');

const TAG_HEADERS: readonly string[] = ['Surrogate-Key', 'Cache-Tag'];

/** Every option and its check: adding one is one line here plus its doc above. */
const ROUTE_FIELDS: FieldTable<CacheRouteOptions> = {
  ttl: checkTtl,
  tags: (tags, field) => (typeof tags === 'function' ? tags : tagList(tags, field)) as RouteTags,
  resultTags: (fn, field) => checkFunction(fn as (body: unknown) => RouteTags, field)!,
  key: (fn, field) => checkFunction(fn as FromRequest<string>, field)!,
  vary: checkHeaderNames,
  privateHeaders: checkHeaderNames,
  varyByHost: checkBoolean,
  public: checkBoolean,
  grace: checkDuration,
  tagHeader: (name, field) => {
    if (!TAG_HEADERS.includes(name as string)) {
      throw CacheErrors.invalidOption(field, `one of ${TAG_HEADERS.join(', ')}`, name);
    }
    return name as TagHeader;
  },
};

/**
 * Opts a GET/HEAD route (or every GET/HEAD route of a controller) into whole-response caching by
 * {@link HydraCacheInterceptor}. Records metadata only; bad options throw `E_INVALID_OPTION` when
 * the class is declared.
 */
export function CacheRoute(options: CacheRouteOptions = {}): ClassDecorator & MethodDecorator {
  const checked = readOptions(options, '@CacheRoute options', ROUTE_FIELDS);
  if (checked.public === true && checked.ttl === undefined) {
    throw CacheErrors.invalidOption('public', 'a ttl to derive max-age from (set ttl too)', true);
  }
  // Only the options given: a route's own options then override its controller's field by field.
  const given = Object.entries(checked).filter(([, value]) => value !== undefined);
  return SetMetadata(CACHE_ROUTE_METADATA, Object.freeze(Object.fromEntries(given)));
}
