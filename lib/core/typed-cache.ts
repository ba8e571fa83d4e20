import { CacheErrors } from './cache.errors.js';
import { keyText, type CacheKey, type CacheKeyBuilder } from './cache-key.js';
import type { CacheOptionsInput, LoadOptionsInput } from './cache-options.js';
import type { CacheStats } from './cache-stats.js';
import type { HydraCache, KeyInput, Loader } from './hydra-cache.js';

/**
 * A typed, namespaced view over a shared {@link HydraCache}: keys become `namespace:key` (the
 * namespace itself is not escaped); storage, stats, single-flight, tags and invalidation are shared.
 */
export class TypedCache<T> {
  constructor(
    private readonly cache: HydraCache,
    /** Prefix of every key this view touches. */
    readonly namespace: string,
  ) {
    if (typeof namespace !== 'string') {
      throw CacheErrors.invalidOption('namespace', 'a string', namespace);
    }
  }

  /** The full key for `key`: `namespace:key`. */
  key(key: KeyInput): string {
    return `${this.namespace}:${keyText(key)}`;
  }

  /** The full key for a builder's key; the namespace alone for an empty builder. */
  keyFrom(builder: CacheKeyBuilder): string {
    return builder.isEmpty() ? this.namespace : this.key(builder.buildString());
  }

  /** See {@link HydraCache.get}. */
  get(key: KeyInput): Promise<T | undefined> {
    return this.#run(key, (k) => this.cache.get<T>(k));
  }

  /** See {@link HydraCache.put}. */
  put(key: KeyInput, value: T, options?: CacheOptionsInput): Promise<void> {
    return this.#run(key, (k) => this.cache.put(k, value, options));
  }

  /** See {@link HydraCache.getOrLoad}. */
  getOrLoad(key: KeyInput, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    return this.#run(key, (k) => this.cache.getOrLoad(k, options, loader));
  }

  /** See {@link HydraCache.getOrInsertWith}. */
  getOrInsertWith(key: KeyInput, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    return this.getOrLoad(key, options, loader);
  }

  /** See {@link HydraCache.tryGetOrInsertWith}. */
  tryGetOrInsertWith(key: KeyInput, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    return this.getOrLoad(key, options, loader);
  }

  /** See {@link HydraCache.containsKey}. */
  containsKey(key: KeyInput): Promise<boolean> {
    return this.#run(key, (k) => this.cache.containsKey(k));
  }

  /** See {@link HydraCache.invalidateKey}. */
  invalidateKey(key: KeyInput): Promise<boolean> {
    return this.#run(key, (k) => this.cache.invalidateKey(k));
  }

  /** See {@link HydraCache.remove}. */
  remove(key: KeyInput): Promise<boolean> {
    return this.invalidateKey(key);
  }

  /** Invalidates a tag across the whole shared cache (tags are not namespaced). */
  invalidateTag(tag: string): Promise<number> {
    return this.cache.invalidateTag(tag);
  }

  /** Flushes the whole shared cache, not only this namespace. */
  flush(): Promise<void> {
    return this.cache.flush();
  }

  /** Stats of the shared cache. */
  stats(): CacheStats {
    return this.cache.stats();
  }

  /** Prefixes the key, turning a bad key into a rejection rather than a synchronous throw. */
  #run<R>(key: KeyInput | CacheKey, op: (fullKey: string) => Promise<R>): Promise<R> {
    try {
      return op(this.key(key));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
