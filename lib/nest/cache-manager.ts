import { EventEmitter } from 'node:events';
import { CacheErrors } from '../core/cache.errors.js';
import type { LoadOptionsInput } from '../core/cache-options.js';
import type { HydraCache } from '../core/hydra-cache.js';

/** A TTL in ms, or a function of the value returning one (cache-manager's `wrap`). */
export type CacheManagerTtl<T> = number | ((value: T) => number);

/** The options object form of {@link HydraCacheManager.wrap}. */
export interface CacheManagerWrapOptions<T> {
  /** Time to live in ms; 0 never expires. Default: the manager's `ttl`. */
  ttl?: CacheManagerTtl<T>;
  /** Refresh in the background on a hit when less than this many ms of TTL remain. Default: none. */
  refreshThreshold?: number | ((value: T) => number);
  /** Resolve with `{ value, expires }` (expiry in ms since the epoch) instead of the value. */
  raw?: boolean;
}

/**
 * The `cache-manager` v7 `Cache` API (what `@nestjs/cache-manager` injects as `CACHE_MANAGER`)
 * over a HydraCache: `get`/`set`/`del`/`wrap`/`clear`/`mget`/`mset`/`mdel`/`ttl` with its
 * results (a missing key reads `undefined`, `set` resolves with the value, `del` with true, TTLs in
 * ms, 0 for "never expires"), while `wrap` gains single-flight and stale-load safety and every
 * write reaches the bus and the other instances when the cache has one.
 */
export class HydraCacheManager {
  readonly #events = new EventEmitter();

  constructor(
    /** The cache every call goes to. */
    readonly cache: HydraCache,
    /** TTL in ms of `set`/`wrap` calls without one; undefined for the cache's `defaultTtl`. */
    private readonly defaultTtl?: number,
  ) {}

  /** The value stored for `key`, or undefined. */
  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.cache.get<T>(key);
    this.#emit('get', { key, value });
    return value;
  }

  /** The values of `keys`, undefined where missing. */
  async mget<T>(keys: string[]): Promise<Array<T | undefined>> {
    const values = await Promise.all(keys.map((key) => this.cache.get<T>(key)));
    this.#emit('mget', { keys, value: values });
    return values;
  }

  /** When `key` expires (ms since the epoch), or undefined when it is missing or never expires. */
  async ttl(key: string): Promise<number | undefined> {
    return this.cache.expiresAt(key);
  }

  /** Stores `value` for `ttl` ms (0: never expires; default the manager's); resolves with `value`. `undefined` is not stored. */
  async set<T>(key: string, value: T, ttl?: number): Promise<T> {
    if (value !== undefined) await this.cache.put(key, value, { ttl: this.#ttl(ttl) });
    this.#emit('set', { key, value });
    return value;
  }

  /** Stores each `{ key, value, ttl? }`; resolves with the list. */
  async mset<T>(
    list: Array<{ key: string; value: T; ttl?: number }>,
  ): Promise<Array<{ key: string; value: T; ttl?: number }>> {
    await Promise.all(
      list.map(({ key, value, ttl }) =>
        value === undefined ? undefined : this.cache.put(key, value, { ttl: this.#ttl(ttl) }),
      ),
    );
    this.#emit('mset', { list });
    return list;
  }

  /** Removes `key` here and on the bus; resolves with true, as cache-manager does, whether or not it was there. */
  async del(key: string): Promise<boolean> {
    await this.cache.invalidateKey(key);
    this.#emit('del', { key });
    return true;
  }

  /** Removes each of `keys`; resolves with true. */
  async mdel(keys: string[]): Promise<boolean> {
    await Promise.all(keys.map((key) => this.cache.invalidateKey(key)));
    return true;
  }

  /** Removes every entry of the cache (the decorators' entries too), here and on the bus; resolves with true. */
  async clear(): Promise<boolean> {
    await this.cache.flush();
    this.#emit('clear');
    return true;
  }

  /**
   * The value of `key`, or `fn()`'s, stored for `ttl` ms: one `fn` run for every concurrent caller
   * (single-flight), and its result not stored when `key` was invalidated while it ran. With
   * `refreshThreshold` (ms), a hit with less TTL left than that refreshes in the background.
   * `fn`'s error is rethrown and nothing is stored; an `undefined` result is returned, not stored.
   */
  wrap<T>(
    key: string,
    fn: () => T | Promise<T>,
    ttl?: CacheManagerTtl<T> | CacheManagerWrapOptions<T>,
    refreshThreshold?: number | ((value: T) => number),
  ): Promise<T>;
  async wrap<T>(
    key: string,
    fn: () => T | Promise<T>,
    ttlOrOptions?: CacheManagerTtl<T> | CacheManagerWrapOptions<T>,
    refreshThreshold?: number | ((value: T) => number),
  ): Promise<unknown> {
    const options =
      typeof ttlOrOptions === 'object' && ttlOrOptions !== null
        ? ttlOrOptions
        : { ttl: ttlOrOptions, refreshThreshold };
    const value = await this.cache.getOrLoad<T>(key, this.#loadOptions(options), fn);
    return options.raw === true ? { value, expires: this.cache.expiresAt(key) } : value;
  }

  /** Listens to cache-manager's events (`get`, `mget`, `set`, `mset`, `del`, `clear`); `refresh` is never emitted. */
  on(event: string, listener: (...args: any[]) => void): EventEmitter {
    return this.#events.on(event, listener);
  }

  /** Stops listening. */
  off(event: string, listener: (...args: any[]) => void): EventEmitter {
    return this.#events.off(event, listener);
  }

  /** Does nothing: the cache belongs to its module, which closes it on shutdown. */
  async disconnect(): Promise<undefined> {
    return undefined;
  }

  /** The cache's `name`. */
  cacheId(): string {
    return this.cache.name;
  }

  /** cache-manager's Keyv stores: none here. */
  get stores(): [] {
    return [];
  }

  #ttl(ttl: number | undefined): number | undefined {
    if (ttl === undefined) return this.defaultTtl;
    if (typeof ttl !== 'number' || !(ttl >= 0)) {
      throw CacheErrors.invalidOption(
        'ttl',
        'a number of milliseconds >= 0 (0: never expires)',
        ttl,
      );
    }
    return ttl === 0 ? Infinity : ttl;
  }

  #loadOptions<T>(options: CacheManagerWrapOptions<T>): LoadOptionsInput<T> {
    const { ttl, refreshThreshold } = options;
    if (typeof ttl === 'function') return { ttl: (value: T) => this.#ttl(ttl(value)) ?? Infinity };
    const ms = this.#ttl(ttl);
    // cache-manager refreshes once less than the threshold is left: after (ttl - threshold) of ttl.
    if (typeof refreshThreshold !== 'number' || ms === undefined || ms === Infinity)
      return { ttl: ms };
    if (!(refreshThreshold > 0)) return { ttl: ms };
    return { ttl: ms, refreshAhead: Math.min(Math.max(1 - refreshThreshold / ms, 0.001), 0.999) };
  }

  #emit(event: string, data?: unknown): void {
    if (this.#events.listenerCount(event) > 0) this.#events.emit(event, data);
  }
}
