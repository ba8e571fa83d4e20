import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, Reflector } from '@nestjs/core';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { HydraCache } from '../core/hydra-cache.js';
import type { LoadResult } from '../core/lapsed-reads.js';
import { writeCacheHeaders, type CacheOutcome, type HeaderWriter } from './cache-headers.js';
import type { RouteRequest } from './cache-route.decorator.js';
import { responseEntry, type CachedResponse, type RouteResponse } from './cached-response.js';
import { answerNotModifiedOnFastify } from './conditional-request.js';
import { HTTP_CACHE_OPTIONS, type HttpCacheOptions } from './http-cache.options.js';
import { isOutermostInterceptor } from './interceptor-position.js';
import { hasUndeclaredCredentials, routeKey } from './route-cache-key.js';
import { RouteSettingsReader, requestTags, type RouteSettings } from './route-settings.js';
import { RouteWarnings } from './route-warnings.js';
import { replyWith } from './stored-reply.js';

/** Node's `ServerResponse` header setter (Express's `res`). */
interface NodeHeaders {
  setHeader(name: string, value: string): unknown;
}

const NO_TAGS: readonly string[] = Object.freeze([]);
const RESULT_TAGS = (entry: CachedResponse | undefined) => entry?.resultTags ?? NO_TAGS;

/**
 * Caches whole responses of GET/HEAD routes marked with `@CacheRoute` (on the route or its
 * controller) through `HydraCache.getOrLoad`: concurrent misses run the handler once, tags and
 * stale-load safety come from the core. Sends `Cache-Status`, `X-Cache`, `ETag`, `Age` and
 * `Cache-Control`, and answers a matching `If-None-Match` with 304. Where it is the outermost
 * interceptor it stores and serves the bytes sent; otherwise the handler's result, class
 * instances included, so outer interceptors (a serializer) still apply on a hit. Routes without
 * `@CacheRoute` pass through untouched, also when registered as `APP_INTERCEPTOR`; without a
 * `HydraCache` (a unit-test module without `HydraCacheModule`) every route does, after one warning.
 */
@Injectable()
export class HydraCacheInterceptor implements NestInterceptor, OnModuleInit {
  readonly #routes: RouteSettingsReader;
  /** Keys whose handler runs right now in this interceptor: a request finding one joined it. */
  readonly #loading = new Set<string>();
  readonly #logger = new Logger('HydraCacheInterceptor');
  readonly #warnings = new RouteWarnings(this.#logger);
  #fastify = false;

  constructor(
    @Optional() @Inject(HydraCache) protected readonly cache: HydraCache | undefined,
    protected readonly reflector: Reflector,
    protected readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(HTTP_CACHE_OPTIONS) options?: HttpCacheOptions,
    @Optional() config?: ApplicationConfig,
  ) {
    this.#routes = new RouteSettingsReader(reflector, options ?? {}, (controller, handler) =>
      isOutermostInterceptor(this, controller, handler, config),
    );
  }

  /** On Fastify, adds the hook that sends 304s and send-time ETags (Express needs none). */
  onModuleInit(): void {
    if (this.cache === undefined) {
      this.#logger.warn(
        'No HydraCache to store responses in: routes marked @CacheRoute run uncached. Import ' +
          'HydraCacheModule.forRoot() (in a unit test, too, to test caching; see docs/testing.md).',
      );
      return;
    }
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    this.#fastify = true;
    try {
      answerNotModifiedOnFastify(adapter.getInstance());
    } catch (error) {
      this.#logger.warn(
        `Cannot add the 304 hook to Fastify (${String(error)}): matching If-None-Match requests get a 200.`,
      );
    }
  }

  /** Serves the route from the cache, fills it on a miss, or passes the request through. */
  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'http' || this.cache === undefined) return next.handle();
    const route = this.#routes.read(context.getClass(), context.getHandler());
    if (route === null) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<RouteRequest>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next.handle();
    const response = http.getResponse<RouteResponse>();
    const key = this.trackBy(context);
    if (key === undefined) {
      this.#writeHeaders(response, route, 'bypass');
      return next.handle();
    }
    return this.#serve(this.cache, context, next, route, key, request, response);
  }

  /**
   * The cache key of the request, or undefined to serve it uncached. The extension point: the
   * default is method + host + path + sorted query + `vary` header values (+ the route's `key`),
   * and undefined for requests carrying a private header the route does not declare.
   */
  protected trackBy(context: ExecutionContext): string | undefined {
    const route = this.#routes.read(context.getClass(), context.getHandler());
    if (route === null) return undefined;
    const request = context.switchToHttp().getRequest<RouteRequest>();
    const base = routeKey(request, route.vary, route.varyByHost);
    if (route.key === undefined) {
      return hasUndeclaredCredentials(request, route.vary, route.privateHeaders) ? undefined : base;
    }
    const variation = route.key(request, context);
    return variation === undefined ? undefined : `${base}${JSON.stringify(String(variation))}`;
  }

  async #serve(
    cache: HydraCache,
    context: ExecutionContext,
    next: CallHandler,
    route: RouteSettings,
    key: string,
    request: RouteRequest,
    response: RouteResponse,
  ): Promise<Observable<unknown>> {
    const tags = route.tags === undefined ? NO_TAGS : requestTags(route, request, context);
    const joining = this.#loading.has(key);
    let ran: { body: unknown } | undefined;
    const options =
      route.grace === undefined
        ? { ttl: route.ttl, tags, resultTags: RESULT_TAGS }
        : { ttl: route.ttl, tags, resultTags: RESULT_TAGS, grace: route.grace };
    let loaded: LoadResult<CachedResponse | undefined> | undefined;
    try {
      loaded = await cache.getOrLoadWithStatus(key, options, async () => {
        this.#loading.add(key);
        try {
          const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
          ran = { body };
          return responseEntry(body, response, route);
        } finally {
          this.#loading.delete(key);
        }
      });
    } catch (error) {
      loaded = this.#warnings.unencodable(error, context);
    }
    const entry = loaded?.value;
    if (entry === undefined || this.#warnings.lostClasses(entry, ran, context)) {
      // Not cacheable: this request's handler result is sent as is; a request that joined such
      // a load runs its own handler, as it would have without the cache.
      this.#writeHeaders(response, route, 'not-stored');
      return ran === undefined ? next.handle() : of(ran.body);
    }
    // A load an invalidation overtook (stale-load safety) or an entry over maxEntryBytes is
    // handed back but not stored: only a miss pays this check.
    const status = loaded!.status;
    const outcome: CacheOutcome =
      status === 'stale' || status === 'failSafe'
        ? 'stale'
        : ran === undefined
          ? joining
            ? 'collapsed'
            : 'hit'
          : (await cache.containsKey(key))
            ? 'stored'
            : 'not-stored';
    this.#writeHeaders(response, route, outcome, entry, tags);
    // A stale answer is the cached body even when this request started the refresh.
    const own = ran === undefined || outcome === 'stale' ? undefined : ran;
    return replyWith(
      entry,
      { fastify: this.#fastify, outermost: route.outermost, own },
      request,
      response,
    );
  }

  #writeHeaders(
    response: RouteResponse,
    route: RouteSettings,
    outcome: CacheOutcome,
    entry?: CachedResponse,
    tags: readonly string[] = NO_TAGS,
  ): void {
    const adapter = this.adapterHost.httpAdapter;
    const headers: HeaderWriter = {
      // Express's `res` is Node's response: set there directly (Express's `set` only adds checks).
      set: this.#fastify
        ? (name, value) => adapter.setHeader(response, name, value)
        : (name, value) => (response as unknown as NodeHeaders).setHeader(name, value),
      append: (name, value) => adapter.appendHeader(response, name, value),
    };
    const cached = entry !== undefined;
    writeCacheHeaders(headers, {
      outcome,
      cached,
      etag: entry?.etag ?? undefined,
      age: cached ? Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000)) : undefined,
      // A body the cache did not keep (e.g. a load an invalidation overtook) is not for sharing.
      maxAge: cached && outcome !== 'not-stored' ? route.maxAge : undefined,
      staleSeconds: route.staleSeconds,
      vary: route.vary,
      cacheControl: response.getHeader('cache-control'),
      tags:
        cached && route.tagHeader !== undefined
          ? { header: route.tagHeader, values: [...tags, ...entry.resultTags] }
          : undefined,
    });
  }
}
