export { HydraCacheInterceptor } from './hydra-cache.interceptor.js';
export { CacheRoute, CACHE_ROUTE_METADATA } from './cache-route.decorator.js';
export type {
  CacheRouteOptions,
  FromRequest,
  RouteRequest,
  RouteTags,
  TagHeader,
} from './cache-route.decorator.js';
export { HydraCacheHttpModule } from './hydra-cache-http.module.js';
export { HTTP_CACHE_OPTIONS } from './http-cache.options.js';
export type { HttpCacheOptions } from './http-cache.options.js';
export { DEFAULT_PRIVATE_HEADERS } from './route-cache-key.js';
export { CACHE_STATUS } from './cache-headers.js';
export type { CacheOutcome } from './cache-headers.js';
