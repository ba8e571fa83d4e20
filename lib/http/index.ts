export { HydraCacheInterceptor } from './hydra-cache.interceptor.js';
export { CacheRoute, CACHE_ROUTE_METADATA } from './cache-route.decorator.js';
export type {
  CacheRouteOptions,
  FromRequest,
  RouteRequest,
  RouteTags,
  TagHeader,
} from './cache-route.decorator.js';
export { CACHE_STATUS } from './cache-headers.js';
export type { CacheOutcome } from './cache-headers.js';
