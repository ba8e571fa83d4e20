export { HydraCache } from './core/hydra-cache.js';
export type { KeyInput, Loader, CacheDiagnostics } from './core/hydra-cache.js';
export { HydraCacheBuilder, DEFAULT_SETTINGS } from './core/hydra-cache.builder.js';
export type { HydraCacheSettings } from './core/hydra-cache.builder.js';
export { TypedCache } from './core/typed-cache.js';
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
export type { Codec } from './core/cbor-codec.js';
export { CacheError } from './core/cache.errors.js';
export type { CacheErrorCode } from './core/cache.errors.js';
