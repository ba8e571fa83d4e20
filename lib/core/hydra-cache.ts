import type { CacheBus } from './bus/cache-bus.js';
import { joinBus } from './bus/join-bus.js';
import type { CacheBusStats } from './bus/cache-bus.stats.js';
import { CacheErrors } from './cache.errors.js';
import { AttachedSources } from './changes/attached-sources.js';
import {
  evictionChannel,
  hitChannel,
  invalidationChannel,
  missChannel,
  publishInvalidation,
  publishKeyEvent,
} from './cache-events.js';
import { keyText, type CacheKey } from './cache-key.js';
import {
  optionsLookValid,
  resolveEntryOptions,
  resolveOptions,
  type CacheOptionsInput,
  type LoadOptionsInput,
} from './cache-options.js';
import { StatsCounters, type CacheStats } from './cache-stats.js';
import { HydraCacheBuilder } from './hydra-cache.builder.js';
import {
  resolveSettings,
  type HydraCacheSettings,
  type ResolvedSettings,
} from './hydra-cache.settings.js';
import type { L2Stats } from './l2/l2-stats.js';
import { TierGuard } from './l2/tier-guard.js';
import { TierLoads } from './l2/tier-loads.js';
import { LapsedReads, type LoadResult } from './lapsed-reads.js';
import { LoadCoordinator, MISS, type Loader } from './load-coordinator.js';
import { LocalChanges, toWire, type CacheChange } from './local-changes.js';
import { Entry, LAPSED, LruStore, type RemovalCause } from './lru-store.js';
import { ReadClock } from './read-clock.js';
import { StoredValues } from './stored-values.js';
import { TagIndex } from './tag-index.js';
import { tagList } from './tag-set.js';
import { TypedCache } from './typed-cache.js';

export type { Loader } from './load-coordinator.js';
export type { LoadResult, LoadStatus } from './lapsed-reads.js';

/** A cache key: a string or a built {@link CacheKey}. */
export type KeyInput = string | CacheKey;

/** Sizes of the internal structures, for monitoring and leak checks. */
export interface CacheDiagnostics {
  /** Stored entries. */
  readonly entries: number;
  /** Distinct tags indexing at least one stored entry. */
  readonly indexedTags: number;
  /** Loads new callers can still join. */
  readonly inFlightLoads: number;
  /** Tags invalidated while loads with result tags ran, recorded for those loads (capped per load). */
  readonly tagGenerations: number;
}

/**
 * An in-process async cache with TTLs, tag invalidation, single-flight loads and stale-load
 * safety. Values are stored encoded (CBOR by default), so every reader gets its own copy.
 */
export class HydraCache {
  readonly #settings: ResolvedSettings;
  readonly #stats = new StatsCounters();
  readonly #tags = new TagIndex<Entry>();
  readonly #store: LruStore;
  readonly #values: StoredValues;
  readonly #loads: LoadCoordinator;
  readonly #lapsed: LapsedReads;
  readonly #changes: LocalChanges;
  readonly #bus: CacheBus | undefined;
  readonly #sources: AttachedSources;
  readonly #clock = new ReadClock();
  /** The second tier (`l2` setting), guarded so that its failures never fail a call. */
  readonly #l2: TierGuard | undefined;

  /** Creates a cache from plain settings; `HydraCache.local()` is the builder spelling. */
  constructor(settings: HydraCacheSettings = {}) {
    this.#settings = resolveSettings(settings);
    this.#values = new StoredValues(this.#settings.codec);
    const l2 = this.#settings.l2;
    this.#l2 =
      l2 &&
      new TierGuard(
        this.#settings.name,
        l2,
        Math.min(this.#settings.l2MaxEntryBytes, l2.maxEntryBytes ?? Infinity),
      );
    this.#store = new LruStore(this.#settings.maxCapacity, (entry, cause) =>
      this.#removed(entry, cause),
    );
    this.#loads = new LoadCoordinator(
      {
        cacheName: this.#settings.name,
        readForLoad: (key) => this.#readLive(key),
        storeLoaded: (key, data, tags, ttl, options) =>
          this.#changes.write(key, data, tags, ttl, options),
      },
      this.#values,
      this.#stats,
      this.#settings.maxEntryBytes,
      this.#settings.hardTimeout,
      this.#l2 && new TierLoads(this.#l2, this.#values),
    );
    this.#lapsed = new LapsedReads(
      this.#store,
      this.#values,
      this.#loads,
      this.#stats,
      this.#settings.timeout,
      this.#settings.name,
    );
    this.#changes = new LocalChanges(
      this.#store,
      this.#tags,
      this.#loads,
      this.#stats,
      this.#settings,
      () => this.#bus?.ttlCap ?? Infinity,
      () => this.#clock.now(),
    );
    this.#bus = joinBus(this.#settings.bus, {
      name: this.#settings.name,
      apply: (message) => this.#changes.apply(message),
      size: () => this.#store.size,
      loading: () => this.#loads.size,
    });
    this.#sources = new AttachedSources(this.#settings.changes, this.#settings.name, {
      // A source reports to every instance, and each bumps the second tier's versions: nobody
      // else would, and its entries would outlive the change.
      apply: (change, tier) => {
        if (tier) void this.#l2?.invalidate(change);
        return this.#changes.apply(change);
      },
      startAt: (stream, position, waitMs) => this.#l2?.startAt(stream, position, waitMs),
      appliedThrough: (stream, position) => this.#l2?.appliedThrough(stream, position),
    });
  }

  /** Starts a builder for a local cache. */
  static local(): HydraCacheBuilder {
    return new HydraCacheBuilder((settings) => new HydraCache(settings));
  }

  /** The value for `key`, or undefined when missing or expired. Rejects with `E_DECODE` (and drops the entry) when it cannot be decoded. */
  async get<T = unknown>(key: KeyInput): Promise<T | undefined> {
    const k = keyText(key);
    const data = this.#store.read(k, this.#clock.now());
    if (data === undefined) {
      this.#countMiss(k);
      return undefined;
    }
    try {
      const value = this.#values.decode(data) as T;
      this.#countHit(k);
      return value;
    } catch (cause) {
      this.#countMiss(k);
      this.#store.delete(k);
      throw CacheErrors.decode(k, cause);
    }
  }

  /** Stores `value` under `key`, replacing any entry and winning over a load of the same key still running. */
  async put<T>(key: KeyInput, value: T, options?: CacheOptionsInput): Promise<void> {
    const k = keyText(key);
    const opts = resolveEntryOptions(options);
    if (value === undefined) throw CacheErrors.undefinedValue(k);
    const data = this.#values.encode(k, value);
    const bytes = this.#values.byteLength(data);
    if (bytes > this.#settings.maxEntryBytes) {
      throw CacheErrors.entryTooLarge(k, bytes, this.#settings.maxEntryBytes);
    }
    this.#loads.supersede(k);
    const ttl = this.#changes.write(k, data, opts.tags, opts.ttl);
    await this.#putInTier(
      k,
      data,
      opts.tags,
      ttl,
      opts.l2 !== false && bytes <= (this.#l2?.maxEntryBytes ?? 0),
    );
    // Other instances drop their copy of the key (they reload it on their next miss).
    await this.#bus?.publish({ type: 'keys', keys: [k] });
  }

  /**
   * The cached value for `key`; on a miss runs `loader` once for all concurrent callers and caches
   * its result. The loader's own error is rethrown unchanged and nothing is cached.
   */
  getOrLoad<T>(key: KeyInput, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    // Not an async function: a caller joining a load waits on one reaction to the shared promise
    // instead of a suspended async frame, which is most of the cost when thousands join one load.
    // Every failure below still reaches the caller as a rejection, never as a synchronous throw.
    try {
      const k = checkedCall(key, options, loader);
      const hit = this.#readForLoad(k);
      if (hit !== MISS) {
        if (hit === LAPSED)
          return this.#lapsed.serve(k, resolveOptions(options), loader).then(valueOf);
        this.#countHit(k);
        return Promise.resolve(hit as T);
      }
      return this.#loadMiss(k, options, loader);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * As {@link getOrLoad}, with how the value was obtained: `hit`, `miss`, `stale` (past its TTL,
   * within grace, the refresh not awaited) or `failSafe` (stale, standing in for a failing or
   * timed-out loader). `getOrLoad` itself stays the allocation-free hit path.
   */
  getOrLoadWithStatus<T>(
    key: KeyInput,
    options: LoadOptionsInput<T>,
    loader: Loader<T>,
  ): Promise<LoadResult<T>> {
    try {
      const k = checkedCall(key, options, loader);
      const hit = this.#readForLoad(k);
      if (hit === LAPSED) return this.#lapsed.serve(k, resolveOptions(options), loader);
      if (hit !== MISS) {
        this.#countHit(k);
        return Promise.resolve({ value: hit as T, status: 'hit' });
      }
      return this.#loadMiss(k, options, loader).then((value) => ({ value, status: 'miss' }));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Same as {@link getOrLoad}: the short spelling for loaders that do not fail. */
  getOrInsertWith<T>(key: KeyInput, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    return this.getOrLoad(key, options, loader);
  }

  /** Same as {@link getOrLoad}: the spelling for loaders that may fail. */
  tryGetOrInsertWith<T>(
    key: KeyInput,
    options: LoadOptionsInput<T>,
    loader: Loader<T>,
  ): Promise<T> {
    return this.getOrLoad(key, options, loader);
  }

  /** True when `key` maps to a usable value; an expired entry is removed and reported absent. */
  async containsKey(key: KeyInput): Promise<boolean> {
    return this.#store.has(keyText(key), Date.now());
  }

  /** When `key`'s entry expires (ms since the epoch); undefined when it is missing, expired or never expires. */
  expiresAt(key: KeyInput): number | undefined {
    const at = this.#store.peek(keyText(key))?.expiresAt;
    return at !== undefined && at > Date.now() && at !== Infinity ? at : undefined;
  }

  /** Removes `key` and supersedes a running load of it; true when a live entry was removed. */
  async invalidateKey(key: KeyInput): Promise<boolean> {
    return (await this.#invalidateEverywhere({ type: 'keys', keys: [keyText(key)] })) > 0;
  }

  /** Alias of {@link invalidateKey}. */
  remove(key: KeyInput): Promise<boolean> {
    return this.invalidateKey(key);
  }

  /** Removes every entry tagged `tag` and supersedes running loads that declared it; returns how many live entries were removed. */
  async invalidateTag(tag: string): Promise<number> {
    // One tag only: an array here would otherwise silently invalidate just its first member.
    if (typeof tag !== 'string') throw CacheErrors.invalidOption('tag', 'a string', tag);
    return this.#invalidateEverywhere({ type: 'tags', tags: [tag] });
  }

  /** Invalidates each of `tags`; returns the total number of live entries removed. */
  async invalidateTags(tags: Iterable<string>): Promise<number> {
    return this.#invalidateEverywhere({ type: 'tags', tags: tagList(tags) });
  }

  /**
   * Marks `key`'s entry expired now instead of removing it: get-or-load may still serve it stale
   * for its grace (from now on), fail-safe included, and refreshes it on the next access. An
   * entry stored without grace is removed. Supersedes a running load of `key` like an
   * invalidation. Returns how many live entries were expired (0 or 1). Other instances on the
   * bus remove their copy.
   */
  async expireKey(key: KeyInput): Promise<number> {
    return this.#invalidateEverywhere({ type: 'expireKeys', keys: [keyText(key)] });
  }

  /** As {@link expireKey}, for every entry tagged `tag`; loads that declared `tag` are superseded. Returns how many live entries were expired. */
  async expireTag(tag: string): Promise<number> {
    if (typeof tag !== 'string') throw CacheErrors.invalidOption('tag', 'a string', tag);
    return this.#invalidateEverywhere({ type: 'expireTags', tags: [tag] });
  }

  /** Removes every entry and supersedes every running load, here and on the bus. Counts no invalidations. */
  async flush(): Promise<void> {
    await this.#invalidateEverywhere({ type: 'flush' });
  }

  /** A snapshot of the counters. */
  stats(): CacheStats {
    return this.#stats.snapshot(this.#store.size);
  }

  /** Sizes of the internal structures; all stay bounded by what the cache holds. */
  diagnostics(): CacheDiagnostics {
    return {
      entries: this.#store.size,
      indexedTags: this.#tags.tagCount,
      inFlightLoads: this.#loads.size,
      tagGenerations: this.#loads.recordedTags,
    };
  }

  /** The `name` setting, reported on events and metrics. */
  get name(): string {
    return this.#settings.name;
  }

  /** The `maxCapacity` setting: the most entries this cache holds. */
  get maxCapacity(): number {
    return this.#settings.maxCapacity;
  }

  /** The second tier's counters, or undefined for a cache without `l2`. */
  l2Stats(): L2Stats | undefined {
    return this.#l2?.stats();
  }

  /** The bus's counters, or undefined for a cache without a bus. */
  busStats(): CacheBusStats | undefined {
    return this.#bus?.stats();
  }

  /** A typed view whose keys are prefixed `namespace:`; it shares everything else with this cache. */
  typed<T>(namespace: string): TypedCache<T> {
    return new TypedCache<T>(this, namespace);
  }

  /**
   * Resolves true once every source of changes is connected and hears each change from now on,
   * or false after `timeoutMs` (default 10 000 ms; the sources keep trying, and a source that
   * connects later flushes what was cached meanwhile). `HydraCacheModule` awaits it at start-up,
   * so an app does not serve, then drop, what it cached before its change feed connected.
   */
  ready(timeoutMs = 10_000): Promise<boolean> {
    return this.#sources.ready(timeoutMs);
  }

  /**
   * Leaves the bus and closes the sources of changes (closing their connections, so the process
   * can exit) and empties this instance; other instances keep their entries. From then on no
   * timeout timer keeps the process alive, even for a caller still waiting on one. The module
   * calls it on shutdown. Safe to call twice.
   */
  async close(): Promise<void> {
    await Promise.all([this.#bus?.close(), this.#sources.close(), this.#l2?.close()]);
    this.#changes.apply({ type: 'flush' });
    this.#loads.close();
  }

  /**
   * Applies `message` here, then hands it to the bus for the other instances: an invalidation
   * publishes whether or not this instance held what it names. Settles once the bus took it; never
   * fails because the bus is down (see CacheBus.publish).
   */
  async #invalidateEverywhere(change: CacheChange): Promise<number> {
    const removed = this.#changes.apply(change);
    if (invalidationChannel.hasSubscribers)
      publishInvalidation(this.#settings.name, change, 'local', removed);
    // The second tier first: an instance the bus reaches must not reload the old value from it.
    await this.#l2?.invalidate(change);
    await this.#bus?.publish(toWire(change));
    return removed;
  }

  /** A put's value in the second tier, or (`l2: false`, too large) its key invalidated there. */
  async #putInTier(
    key: string,
    data: unknown,
    tags: readonly string[],
    ttl: number,
    share: boolean,
  ): Promise<void> {
    const l2 = this.#l2;
    if (l2 === undefined) return;
    const bytes = share ? this.#values.bytesOf(data) : undefined;
    if (bytes === undefined) await l2.invalidate({ type: 'keys', keys: [key] });
    else await l2.write(key, bytes, tags, ttl);
  }

  #countMiss(key: string): void {
    this.#stats.misses++;
    if (missChannel.hasSubscribers) publishKeyEvent(missChannel, this.#settings.name, key);
  }

  #countHit(key: string): void {
    this.#stats.hits++;
    if (hitChannel.hasSubscribers) publishKeyEvent(hitChannel, this.#settings.name, key);
  }

  /** The miss path of the get-or-load family: joins the running load of `key` or starts one. */
  #loadMiss<T>(key: string, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    this.#countMiss(key);
    // A joiner's options were already checked; they are only built to start a load.
    return this.#loads.join<T>(key) ?? this.#loads.load(key, resolveOptions(options), loader);
  }

  /**
   * A hit's decoded value, MISS, or LAPSED for an entry past its eager-refresh point or within
   * its grace (see LapsedReads); an undecodable entry is dropped so the load can replace it.
   */
  #readForLoad(key: string): unknown {
    const data = this.#store.readForLoad(key, this.#clock.now());
    if (data === undefined) return MISS;
    if (data === LAPSED) return LAPSED;
    return this.#decodeOrDrop(key, data);
  }

  /** A live entry's decoded value (never a stale one), or MISS. */
  #readLive(key: string): unknown {
    const data = this.#store.read(key, this.#clock.now());
    return data === undefined ? MISS : this.#decodeOrDrop(key, data);
  }

  #decodeOrDrop(key: string, data: unknown): unknown {
    try {
      return this.#values.decode(data);
    } catch {
      this.#store.delete(key);
      return MISS;
    }
  }

  #removed(entry: Entry, cause: RemovalCause): void {
    this.#tags.remove(entry);
    if (cause !== 'evicted') return;
    this.#stats.evictions++;
    if (evictionChannel.hasSubscribers)
      publishKeyEvent(evictionChannel, this.#settings.name, entry.key);
  }
}

/** Validates a get-or-load call's arguments; returns the key text. Options are only built on a miss. */
function checkedCall(key: KeyInput, options: unknown, loader: unknown): string {
  const k = keyText(key);
  if (!optionsLookValid(options)) resolveOptions(options as LoadOptionsInput<unknown>);
  if (typeof loader !== 'function') throw CacheErrors.invalidOption('loader', 'a function', loader);
  return k;
}

function valueOf<T>(result: LoadResult<T>): T {
  return result.value;
}

/** A brand that tells a HydraCache from any copy of the library (ESM and CJS builds) apart. */
Object.defineProperty(HydraCache.prototype, Symbol.for('hydracache:HydraCache'), { value: true });
