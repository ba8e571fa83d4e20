export { HydraCache } from './core/hydra-cache.js';
export type {
  KeyInput,
  Loader,
  CacheDiagnostics,
  LoadResult,
  LoadStatus,
} from './core/hydra-cache.js';
export { HydraCacheBuilder } from './core/hydra-cache.builder.js';
export { DEFAULT_SETTINGS, DEFAULT_CACHE_NAME } from './core/hydra-cache.settings.js';
export type {
  HydraCacheSettings,
  BusSetting,
  BusSettingWithOptions,
} from './core/hydra-cache.settings.js';
export { TypedCache } from './core/typed-cache.js';
export type { ChangeSource, ChangeSink } from './core/changes/change-source.js';
export { tableTag, rowTag, ANY_TABLE_TAG } from './core/table-tags.js';
export type { RowKey } from './core/table-tags.js';
export { CacheOptions } from './core/cache-options.js';
export type {
  CacheOptionsInit,
  CacheOptionsInput,
  LoadOptionsInit,
  LoadOptionsInput,
} from './core/cache-options.js';
export { CacheKey, CacheKeyBuilder, escapeSegment } from './core/cache-key.js';
export type { KeySegment } from './core/cache-key.js';
export { TagSet } from './core/tag-set.js';
export type { CacheStats } from './core/cache-stats.js';
export { CborCodec } from './core/cbor-codec.js';
export type { Codec, CborCodecOptions } from './core/cbor-codec.js';
export { CacheError } from './core/cache.errors.js';
export type { CacheErrorCode } from './core/cache.errors.js';
export { CACHE_CHANNELS, keyNamespace } from './core/cache-events.js';
export type {
  CacheKeyEvent,
  LoadEvent,
  InvalidationEvent,
  BusEvent,
  BusEventName,
  L2Event,
  L2EventName,
} from './core/cache-events.js';
export type {
  SecondTier,
  TierFill,
  TierHit,
  TierLookup,
  TierMiss,
  TierTicket,
} from './core/l2/second-tier.js';
export type { L2Stats } from './core/l2/l2-stats.js';
export { CacheBus } from './core/bus/cache-bus.js';
export type { CacheBusOptions } from './core/bus/cache-bus.options.js';
export { DEFAULT_BUS_OPTIONS } from './core/bus/cache-bus.options.js';
export type { CacheBusStats } from './core/bus/cache-bus.stats.js';
export type { BusMessage, BusTarget } from './core/bus/bus-message.types.js';
export type { BusTransport, TransportListener } from './core/bus/bus-transport.js';
export { WIRE_VERSION } from './core/bus/bus-wire.js';
export { MemoryBusHub, MemoryBusTransport } from './core/bus/memory-transport.js';
export type { NestCacheErrorCode } from './nest/nest.errors.js';

export { HydraCacheModule } from './nest/hydra-cache.module.js';
export { HYDRA_CACHE_MODULE_OPTIONS } from './nest/hydra-cache.module-definition.js';
export type {
  HydraCacheModuleOptions,
  HydraCacheModuleExtras,
  HydraCacheOptionsFactory,
} from './nest/hydra-cache-module.options.js';
export { Cached } from './nest/cached.decorator.js';
export type { CachedOptions } from './nest/cached.decorator.js';
export { InvalidateTags } from './nest/invalidate-tags.decorator.js';
export type { InvalidateTagsOptions } from './nest/invalidate-tags.decorator.js';
export { InvalidateKeys } from './nest/invalidate-keys.decorator.js';
export type { InvalidateKeysOptions, KeysValue } from './nest/invalidate-keys.decorator.js';
export type { TagsValue, KeyValue, FromArgs } from './nest/decorator-values.js';
export { attachHydraCache } from './nest/cache-injection.js';
export { InjectHydraCache } from './nest/inject-hydra-cache.decorator.js';
export { getHydraCacheToken } from './nest/cache-tokens.js';
export type { CacheChoice } from './nest/invalidate-after.js';
export type { AsyncMethod } from './nest/method-decorator.js';
export { HydraCacheManager } from './nest/cache-manager.js';
export type { CacheManagerTtl, CacheManagerWrapOptions } from './nest/cache-manager.js';
export { CACHE_MANAGER, provideCacheManager } from './nest/cache-manager.provider.js';
export type { CacheManagerOptions } from './nest/cache-manager.provider.js';
export { HydraCacheManagerModule } from './nest/cache-manager.module.js';
export type { HydraCacheManagerModuleOptions } from './nest/cache-manager.module.js';

export {
  HydraCacheInterceptor,
  CacheRoute,
  CACHE_ROUTE_METADATA,
  CACHE_STATUS,
  HydraCacheHttpModule,
  HTTP_CACHE_OPTIONS,
  DEFAULT_PRIVATE_HEADERS,
} from './http/index.js';
export type {
  CacheRouteOptions,
  FromRequest,
  RouteRequest,
  RouteTags,
  TagHeader,
  CacheOutcome,
  HttpCacheOptions,
} from './http/index.js';
