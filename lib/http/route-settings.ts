import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { tagList } from '../core/tag-set.js';
import {
  CACHE_ROUTE_METADATA,
  type CacheRouteOptions,
  type RouteRequest,
} from './cache-route.decorator.js';
import type { HttpCacheOptions } from './http-cache.options.js';
import { DEFAULT_PRIVATE_HEADERS } from './route-cache-key.js';

/** Longest `max-age` sent, in seconds (one year, RFC 9111's advice for "never expires"). */
const MAX_AGE_CAP = 31_536_000;

/** A route's options, merged from the module, its controller and itself, and what follows. */
export interface RouteSettings extends CacheRouteOptions {
  /** Key by `Host` (route, else module, else true). */
  readonly varyByHost: boolean;
  /** The defaults, the module's and the route's private headers. */
  readonly privateHeaders: readonly string[];
  /**
   * True when no interceptor runs outside this one on the route, so nothing changes the body
   * after it: responses are stored and served as the bytes sent (see docs/http.md).
   */
  readonly outermost: boolean;
  /** True when the key varies per caller (a `key` function, or `vary` naming a private header). */
  readonly perCaller: boolean;
  /** `max-age` in seconds for public routes not keyed per caller; undefined otherwise. */
  readonly maxAge: number | undefined;
  /** `stale-while-revalidate`/`stale-if-error` in seconds for those routes, from `grace`. */
  readonly staleSeconds: number | undefined;
}

/**
 * Reads and merges `@CacheRoute` metadata once per (controller, handler) pair: a subclass
 * controller sharing an inherited handler gets its own settings.
 */
export class RouteSettingsReader {
  readonly #byClass = new WeakMap<object, WeakMap<object, RouteSettings | null>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly module: Readonly<HttpCacheOptions>,
    private readonly isOutermost: (controller: object, handler: object) => boolean,
  ) {}

  /** The settings of the route, or null when neither it nor its controller has `@CacheRoute`. */
  read(controller: object, handler: object): RouteSettings | null {
    let byHandler = this.#byClass.get(controller);
    if (byHandler === undefined) this.#byClass.set(controller, (byHandler = new WeakMap()));
    let settings = byHandler.get(handler);
    if (settings === undefined)
      byHandler.set(handler, (settings = this.#resolve(controller, handler)));
    return settings;
  }

  #resolve(controller: object, handler: object): RouteSettings | null {
    const own = this.reflector.get<CacheRouteOptions | undefined>(
      CACHE_ROUTE_METADATA,
      handler as () => unknown,
    );
    const ofClass = this.reflector.get<CacheRouteOptions | undefined>(
      CACHE_ROUTE_METADATA,
      controller as () => unknown,
    );
    if (own === undefined && ofClass === undefined) return null;
    const options: CacheRouteOptions = { ...ofClass, ...own };
    const vary = union(this.module.vary, options.vary);
    const privateHeaders = union(
      DEFAULT_PRIVATE_HEADERS,
      union(this.module.privateHeaders, options.privateHeaders),
    )!;
    const varyByHost = options.varyByHost ?? this.module.varyByHost ?? true;
    const perCaller =
      options.key !== undefined || (vary ?? []).some((name) => privateHeaders.includes(name));
    const maxAge =
      options.public === true && !perCaller && options.ttl !== undefined
        ? Math.min(MAX_AGE_CAP, Math.floor(options.ttl / 1000))
        : undefined;
    const staleSeconds =
      maxAge !== undefined && options.grace !== undefined && options.grace >= 1000
        ? Math.min(MAX_AGE_CAP, Math.floor(options.grace / 1000))
        : undefined;
    const outermost = this.isOutermost(controller, handler);
    return {
      ...options,
      vary,
      privateHeaders,
      varyByHost,
      outermost,
      perCaller,
      maxAge,
      staleSeconds,
    };
  }
}

/** The names in `a` and then those of `b` not in `a`; undefined when both are empty. */
function union(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): readonly string[] | undefined {
  const names = [...new Set([...(a ?? []), ...(b ?? [])])];
  return names.length === 0 ? undefined : names;
}

/** The route's tags for this request: its `tags`, called with the request when a function. */
export function requestTags(
  route: RouteSettings,
  request: RouteRequest,
  context: ExecutionContext,
): readonly string[] {
  const tags = route.tags;
  if (tags === undefined) return [];
  return typeof tags === 'function' ? tagList(tags(request, context), 'tags') : (tags as string[]);
}
