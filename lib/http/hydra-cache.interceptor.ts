import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { HydraCache } from '../core/hydra-cache.js';
import { writeCacheHeaders, type CacheOutcome, type HeaderWriter } from './cache-headers.js';
import type { RouteRequest } from './cache-route.decorator.js';
import { responseEntry, type CachedResponse, type RouteResponse } from './cached-response.js';
import { answerNotModifiedOnFastify, markNotModified, noneMatch } from './conditional-request.js';
import { hasUndeclaredCredentials, routeKey } from './route-cache-key.js';
import { RouteSettingsReader, requestTags, type RouteSettings } from './route-settings.js';

const NO_TAGS: readonly string[] = Object.freeze([]);
const RESULT_TAGS = (entry: CachedResponse | undefined) => entry?.resultTags ?? NO_TAGS;

/**
 * Caches whole responses of GET/HEAD routes marked with `@CacheRoute` (on the route or its
 * controller) through `HydraCache.getOrLoad`: concurrent misses run the handler once, tags and
 * stale-load safety come from the core. Sends `Cache-Status`, `X-Cache`, `ETag`, `Age` and
 * `Cache-Control`, and answers a matching `If-None-Match` with 304 before the handler runs.
 * Routes without `@CacheRoute` pass through untouched, also when registered as `APP_INTERCEPTOR`.
 */
@Injectable()
export class HydraCacheInterceptor implements NestInterceptor, OnModuleInit {
  readonly #routes: RouteSettingsReader;
  /** Keys whose handler runs right now in this interceptor: a request finding one joined it. */
  readonly #loading = new Set<string>();
  /** Handlers already warned about for returning class instances. */
  readonly #warned = new WeakSet<object>();
  readonly #logger = new Logger('HydraCacheInterceptor');
  #fastify = false;

  constructor(
    protected readonly cache: HydraCache,
    protected readonly reflector: Reflector,
    protected readonly adapterHost: HttpAdapterHost,
  ) {
    this.#routes = new RouteSettingsReader(reflector);
  }

  /** On Fastify, adds the hook that sends this interceptor's 304s (Express needs none). */
  onModuleInit(): void {
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
    if (context.getType() !== 'http') return next.handle();
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
    return this.#serve(context, next, route, key, request, response);
  }

  /**
   * The cache key of the request, or undefined to serve it uncached. The extension point: the
   * default is method + path + sorted query + `vary` header values (+ the route's `key`), and
   * undefined for requests carrying `Authorization` or `Cookie` the route does not declare.
   */
  protected trackBy(context: ExecutionContext): string | undefined {
    const route = this.#routes.read(context.getClass(), context.getHandler());
    if (route === null) return undefined;
    const request = context.switchToHttp().getRequest<RouteRequest>();
    const base = routeKey(request, route.vary);
    if (route.key === undefined) {
      return hasUndeclaredCredentials(request, route.vary) ? undefined : base;
    }
    const variation = route.key(request, context);
    return variation === undefined ? undefined : `${base}${JSON.stringify(String(variation))}`;
  }

  async #serve(
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
    const { value: entry, status } = await this.cache.getOrLoadWithStatus<
      CachedResponse | undefined
    >(
      key,
      route.grace === undefined
        ? { ttl: route.ttl, tags, resultTags: RESULT_TAGS }
        : { ttl: route.ttl, tags, resultTags: RESULT_TAGS, grace: route.grace },
      async () => {
        this.#loading.add(key);
        try {
          const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
          ran = { body };
          const entry = responseEntry(body, response, route.resultTags);
          if (entry === 'class-instance') this.#warnClassInstance(context);
          return entry === 'class-instance' ? undefined : entry;
        } finally {
          this.#loading.delete(key);
        }
      },
    );
    if (entry === undefined) {
      // Not cacheable: this request's handler result is sent as is; a request that joined such
      // a load runs its own handler, as it would have without the cache.
      this.#writeHeaders(response, route, 'not-stored');
      return ran === undefined ? next.handle() : of(ran.body);
    }
    // A load an invalidation overtook (stale-load safety) or an entry over maxEntryBytes is
    // handed back but not stored: only a miss pays this check.
    const outcome: CacheOutcome =
      status === 'stale' || status === 'failSafe'
        ? 'stale'
        : ran === undefined
          ? joining
            ? 'collapsed'
            : 'hit'
          : (await this.cache.containsKey(key))
            ? 'stored'
            : 'not-stored';
    this.#writeHeaders(response, route, outcome, entry, tags);
    if (noneMatch(request.headers['if-none-match'], entry.etag)) {
      // Express answers 304 itself when the ETag just set matches (req.fresh); Fastify by the hook.
      if (this.#fastify) markNotModified(request);
      return of(undefined);
    }
    // A stale answer is the cached body even when this request started the refresh.
    return of(ran === undefined || outcome === 'stale' ? entry.body : ran.body);
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
      set: (name, value) => adapter.setHeader(response, name, value),
      append: (name, value) => adapter.appendHeader(response, name, value),
    };
    const cached = entry !== undefined;
    writeCacheHeaders(headers, {
      outcome,
      etag: entry?.etag,
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

  #warnClassInstance(context: ExecutionContext): void {
    const handler = context.getHandler();
    if (this.#warned.has(handler)) return;
    this.#warned.add(handler);
    this.#logger.warn(
      `${context.getClass().name}.${handler.name} returned a class instance, so its response is not cached: ` +
        'a cached response is the body as sent, which a serializer after this interceptor would still change. Register ' +
        'HydraCacheInterceptor outside ClassSerializerInterceptor (before it in @UseInterceptors, or as ' +
        'the earlier APP_INTERCEPTOR) so it caches the serialized body, or return plain data.',
    );
  }
}
