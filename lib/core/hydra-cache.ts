import { CacheErrors } from './cache.errors.js';
import { keyText, type CacheKey } from './cache-key.js';
import {
  precheckOptions,
  resolveOptions,
  type CacheOptionsInput,
  type LoadOptionsInput,
  type ResolvedOptions,
} from './cache-options.js';
import { StatsCounters, type CacheStats } from './cache-stats.js';
import {
  HydraCacheBuilder,
  resolveSettings,
  type HydraCacheSettings,
} from './hydra-cache.builder.js';
import { InFlightLoads, type Flight, type LoadOutcome } from './in-flight.js';
import { Entry, LruStore, type RemovalCause } from './lru-store.js';
import { tagList } from './tag-set.js';
import { TagIndex } from './tag-index.js';
import { StoredValues } from './stored-values.js';
import { TypedCache } from './typed-cache.js';

/** A cache key: a string or a built {@link CacheKey}. */
export type KeyInput = string | CacheKey;

/** A loader: returns the value (or a promise of it) to cache on a miss. */
export type Loader<T> = () => T | PromiseLike<T>;

/** Sizes of the internal structures, for monitoring and leak checks. */
export interface CacheDiagnostics {
  /** Stored entries. */
  readonly entries: number;
  /** Distinct tags indexing at least one stored entry. */
  readonly indexedTags: number;
  /** Loads new callers can still join. */
  readonly inFlightLoads: number;
  /** Tag invalidation times retained for running loads. */
  readonly tagGenerations: number;
}

const MISS = Symbol('miss');

/**
 * An in-process async cache with TTLs, tag invalidation, single-flight loads and stale-load
 * safety. Values are stored encoded (CBOR by default), so every reader gets its own copy.
 */
export class HydraCache {
  readonly #settings: Required<HydraCacheSettings>;
  readonly #stats = new StatsCounters();
  readonly #tags = new TagIndex<Entry>();
  readonly #inFlight = new InFlightLoads();
  readonly #store: LruStore;
  readonly #values: StoredValues;
  /**
   * Hands one caller of a finished load its copy (one function for all loads: no per-call
   * closure). When a result tag was invalidated during the load, only the caller that started it
   * (served first) gets its result; the callers that joined load once more (see #runLoad).
   */
  readonly #serve = (outcome: LoadOutcome): unknown =>
    outcome.again !== undefined && (outcome.served ?? 0) > 0
      ? this.#loadAgain(outcome.key, outcome.again)
      : this.#values.copyOf(outcome);
  /** As #serve, for callers already loading again: they take the result whatever it is. */
  readonly #serveOnce = (outcome: LoadOutcome): unknown => this.#values.copyOf(outcome);

  /** Creates a cache from plain settings; `HydraCache.local()` is the builder spelling. */
  constructor(settings: HydraCacheSettings = {}) {
    this.#settings = resolveSettings(settings);
    this.#values = new StoredValues(this.#settings.codec);
    this.#store = new LruStore(this.#settings.maxCapacity, (entry, cause) =>
      this.#removed(entry, cause),
    );
  }

  /** Starts a builder for a local cache. */
  static local(): HydraCacheBuilder {
    return new HydraCacheBuilder();
  }

  /** The value for `key`, or undefined when missing or expired. Rejects with `E_DECODE` (and drops the entry) when it cannot be decoded. */
  async get<T = unknown>(key: KeyInput): Promise<T | undefined> {
    const k = keyText(key);
    const entry = this.#store.get(k, Date.now());
    if (entry === undefined) {
      this.#stats.misses++;
      return undefined;
    }
    try {
      const value = this.#values.decode(entry.data) as T;
      this.#stats.hits++;
      return value;
    } catch (cause) {
      this.#stats.misses++;
      this.#store.delete(k);
      throw CacheErrors.decode(k, cause);
    }
  }

  /** Stores `value` under `key`, replacing any entry and winning over a load of the same key still running. */
  async put<T>(key: KeyInput, value: T, options?: CacheOptionsInput): Promise<void> {
    const k = keyText(key);
    const opts = resolveOptions(options);
    if (value === undefined) throw CacheErrors.undefinedValue(k);
    const data = this.#values.encode(k, value);
    const bytes = this.#values.byteLength(data);
    if (bytes > this.#settings.maxEntryBytes) {
      throw CacheErrors.entryTooLarge(k, bytes, this.#settings.maxEntryBytes);
    }
    this.#inFlight.supersede(k);
    this.#write(k, data, opts.tags, opts.ttl);
  }

  /**
   * The cached value for `key`; on a miss runs `loader` once for all concurrent callers and caches
   * its result. The loader's own error is rethrown unchanged and nothing is cached.
   */
  getOrLoad<T>(key: KeyInput, options: LoadOptionsInput<T>, loader: Loader<T>): Promise<T> {
    // Not an async function: a caller joining a load waits on one reaction to the shared promise
    // instead of a suspended async frame, which is most of the cost when thousands join one load.
    // Every failure below still reaches the caller as a rejection, never as a synchronous throw.
    let flight: Flight;
    try {
      const k = keyText(key);
      // Validated up front, but only built on a miss: a hit allocates nothing for its options.
      const checked = precheckOptions(options);
      if (typeof loader !== 'function')
        throw CacheErrors.invalidOption('loader', 'a function', loader);
      const hit = this.#readForLoad(k);
      if (hit !== MISS) {
        this.#stats.hits++;
        return Promise.resolve(hit as T);
      }
      const opts = checked ?? resolveOptions(options);
      this.#stats.misses++;
      flight = this.#joinOrStart(k, opts, loader);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return flight.promise.then(this.#serve) as Promise<T>;
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

  /** Removes `key` and supersedes a running load of it; true when a live entry was removed. */
  async invalidateKey(key: KeyInput): Promise<boolean> {
    const k = keyText(key);
    this.#inFlight.supersede(k);
    const entry = this.#store.delete(k);
    if (entry === undefined || entry.expiresAt <= Date.now()) return false;
    this.#stats.invalidations++;
    return true;
  }

  /** Alias of {@link invalidateKey}. */
  remove(key: KeyInput): Promise<boolean> {
    return this.invalidateKey(key);
  }

  /** Removes every entry tagged `tag` and supersedes running loads that declared it; returns how many live entries were removed. */
  async invalidateTag(tag: string): Promise<number> {
    // One tag only: an array here would otherwise silently invalidate just its first member.
    if (typeof tag !== 'string') throw CacheErrors.invalidOption('tag', 'a string', tag);
    this.#tags.markInvalidated(tag, this.#inFlight.size > 0);
    this.#inFlight.supersedeTagged(tag);
    const now = Date.now();
    let removed = 0;
    for (const entry of this.#tags.take(tag)) {
      this.#store.remove(entry);
      if (entry.expiresAt > now) removed++;
    }
    this.#stats.invalidations += removed;
    return removed;
  }

  /** Invalidates each of `tags` in turn; returns the total number of live entries removed. */
  async invalidateTags(tags: Iterable<string>): Promise<number> {
    let removed = 0;
    for (const tag of tagList(tags)) removed += await this.invalidateTag(tag);
    return removed;
  }

  /** Removes every entry and supersedes every running load. Counts no invalidations. */
  async flush(): Promise<void> {
    this.#tags.markInvalidated(undefined, false);
    this.#inFlight.supersedeAll();
    this.#store.clear();
    this.#tags.clear();
    this.#tags.prune(undefined);
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
      inFlightLoads: this.#inFlight.size,
      tagGenerations: this.#tags.generationCount,
    };
  }

  /** A typed view whose keys are prefixed `namespace:`; it shares everything else with this cache. */
  typed<T>(namespace: string): TypedCache<T> {
    return new TypedCache<T>(this, namespace);
  }

  #startLoad<T>(key: string, opts: ResolvedOptions<T>, loader: Loader<T>): Flight {
    this.#stats.loads++;
    const flight: Flight = {
      key,
      startEpoch: this.#tags.epoch,
      tags: opts.tags,
      stale: false,
      promise: undefined as unknown as Promise<LoadOutcome>,
    };
    this.#inFlight.add(flight);
    flight.promise = this.#runLoad(flight, opts, loader);
    return flight;
  }

  async #runLoad<T>(
    flight: Flight,
    opts: ResolvedOptions<T>,
    loader: Loader<T>,
  ): Promise<LoadOutcome> {
    try {
      const value = await loader();
      if (value === undefined) return { key: flight.key, data: undefined };
      const data = this.#values.encode(flight.key, value);
      if (!this.#storeLoaded(flight, opts, value, data)) return { key: flight.key, data };
      // A tag of the result was invalidated while it loaded, and callers kept joining the load
      // meanwhile, since its result tags were unknown until now. Some may have joined after the
      // invalidation and must not get a result that predates it; which ones is not recorded, so
      // every joiner loads once more.
      return { key: flight.key, data, again: () => this.#joinOrStart(flight.key, opts, loader) };
    } finally {
      this.#inFlight.finish(flight);
      this.#tags.prune(this.#inFlight.oldestStart);
    }
  }

  /** Stores a load's result unless it is stale; returns true when a result tag made it stale. */
  #storeLoaded<T>(flight: Flight, opts: ResolvedOptions<T>, value: T, data: unknown): boolean {
    const extra =
      opts.resultTags === undefined ? undefined : tagList(opts.resultTags(value), 'resultTags');
    const resultTagStale =
      extra !== undefined && this.#tags.invalidatedSince(extra, flight.startEpoch);
    if (opts.unless?.(value) === true) return resultTagStale;
    if (this.#values.byteLength(data) > this.#settings.maxEntryBytes) return resultTagStale;
    if (flight.stale || resultTagStale) {
      this.#stats.staleLoadDiscards++;
      return resultTagStale;
    }
    this.#write(
      flight.key,
      data,
      extra === undefined ? opts.tags : [...opts.tags, ...extra],
      opts.ttl,
    );
    return false;
  }

  /** The running load of `key` for a caller to join, or a new one it starts. */
  #joinOrStart<T>(key: string, opts: ResolvedOptions<T>, loader: Loader<T>): Flight {
    const running = this.#inFlight.get(key);
    if (running === undefined) return this.#startLoad(key, opts, loader);
    this.#stats.singleFlightJoins++;
    return running;
  }

  /** A joiner's second try after its load went stale: a hit, or the load `again` joins or starts. */
  #loadAgain(key: string, again: () => Flight): Promise<unknown> {
    try {
      const hit = this.#readForLoad(key);
      if (hit !== MISS) return Promise.resolve(hit);
      return again().promise.then(this.#serveOnce);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  #write(key: string, data: unknown, tags: readonly string[], ttl: number | undefined): void {
    const ms = ttl ?? this.#settings.defaultTtl;
    const expiresAt = ms === Infinity ? Infinity : Date.now() + ms;
    const entry = new Entry(key, data, expiresAt, tags);
    this.#store.set(entry);
    this.#tags.add(entry);
  }

  /** A hit's decoded value, or MISS; an undecodable entry is dropped so the load can replace it. */
  #readForLoad(key: string): unknown {
    const entry = this.#store.get(key, Date.now());
    if (entry === undefined) return MISS;
    try {
      return this.#values.decode(entry.data);
    } catch {
      this.#store.delete(key);
      return MISS;
    }
  }

  #removed(entry: Entry, cause: RemovalCause): void {
    this.#tags.remove(entry);
    if (cause === 'evicted') this.#stats.evictions++;
  }

  /** Releases everything the cache holds open and flushes it; the module calls it on shutdown. */
  async close(): Promise<void> {
    await this.flush();
  }
}

/** A brand that tells a HydraCache from any copy of the library (ESM and CJS builds) apart. */
Object.defineProperty(HydraCache.prototype, Symbol.for('hydracache:HydraCache'), { value: true });
