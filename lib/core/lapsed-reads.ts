import type { ResolvedOptions } from './cache-options.js';
import { hitChannel, missChannel, publishKeyEvent, staleChannel } from './cache-events.js';
import type { StatsCounters } from './cache-stats.js';
import type { EntryResilience } from './entry-resilience.js';
import type { LoadCoordinator, Loader } from './load-coordinator.js';
import { TIMED_OUT, withSoftTimeout } from './load-timeouts.js';
import type { Entry, LruStore } from './lru-store.js';
import type { StoredValues } from './stored-values.js';

/** How a get-or-load call was answered. */
export type LoadStatus =
  /** From a live entry. */
  | 'hit'
  /** From a load (started or joined). */
  | 'miss'
  /** A value past its TTL within its grace: the refresh was not awaited (timeout) or runs in the background. */
  | 'stale'
  /** A value past its TTL within its grace, in place of a loader failure, a hard timeout, or while the loader rests after one. */
  | 'failSafe';

/** A get-or-load result with how it was obtained (see `getOrLoadWithStatus`). */
export interface LoadResult<T> {
  /** The caller's copy of the value. */
  readonly value: T;
  /** Hit, miss, stale or fail-safe. */
  readonly status: LoadStatus;
}

/**
 * Serves get-or-load calls whose entry has lapsed: past its eager-refresh point (served fresh,
 * refreshed in the background) or past its TTL within its grace (served stale per `timeout`,
 * refreshed, and standing in for a failing loader: fail-safe). Off the plain hit path: the store
 * sends a read here only for entries stored with grace or `refreshAhead`.
 *
 * A stale value is served only while its entry is still the one stored: an invalidation removes
 * it, and a load or put replaces it, so nothing is ever served stale after an invalidation.
 */
export class LapsedReads {
  constructor(
    private readonly store: LruStore,
    private readonly values: StoredValues,
    private readonly loads: LoadCoordinator,
    private readonly stats: StatsCounters,
    /** The cache's default soft timeout in ms. */
    private readonly defaultTimeout: number,
    /** The cache's name, reported on read events. */
    private readonly cacheName: string,
  ) {}

  /** Answers a call for `key`, whose entry the store just reported lapsed. */
  serve<T>(key: string, opts: ResolvedOptions<T>, loader: Loader<T>): Promise<LoadResult<T>> {
    const entry = this.store.peek(key);
    let value: T;
    try {
      value = this.values.decode(entry!.data) as T;
    } catch {
      this.store.delete(key);
      return this.#miss(key, opts, loader);
    }
    const now = Date.now();
    const resilience = entry!.resilience!;
    if (entry!.expiresAt > now) {
      this.stats.hits++;
      if (hitChannel.hasSubscribers) publishKeyEvent(hitChannel, this.cacheName, key);
      if (resilience.backoffUntil <= now) this.#refreshAhead(key, entry!, opts, loader);
      return Promise.resolve({ value, status: 'hit' });
    }
    if (resilience.backoffUntil > now) {
      // Fail-safe served this entry recently: the loader rests for failSafeBackoff.
      this.stats.staleHits++;
      if (staleChannel.hasSubscribers) publishKeyEvent(staleChannel, this.cacheName, key);
      return Promise.resolve({ value, status: 'failSafe' });
    }
    const timeout = opts.timeout ?? this.defaultTimeout;
    if (timeout === 0) return Promise.resolve(this.#revalidate(key, entry!, value, opts, loader));
    return this.#waitForRefresh(key, entry!, value, timeout, opts, loader);
  }

  /** Pure stale-while-revalidate: the stale value now, one refresh in the background. */
  #revalidate<T>(
    key: string,
    entry: Entry,
    value: T,
    opts: ResolvedOptions<T>,
    loader: Loader<T>,
  ): LoadResult<T> {
    this.stats.staleHits++;
    if (staleChannel.hasSubscribers) publishKeyEvent(staleChannel, this.cacheName, key);
    this.#background(key, entry, opts, loader);
    return { value, status: 'stale' };
  }

  /** Waits up to `timeout` ms for the refresh (joined or started), then serves the stale value. */
  #waitForRefresh<T>(
    key: string,
    entry: Entry,
    value: T,
    timeout: number,
    opts: ResolvedOptions<T>,
    loader: Loader<T>,
  ): Promise<LoadResult<T>> {
    if (!this.loads.loading(key)) this.stats.backgroundRefreshes++;
    const load = this.loads.load(key, opts, loader);
    return withSoftTimeout(load, timeout, this.loads.timers).then(
      (loaded): LoadResult<T> | Promise<LoadResult<T>> => {
        if (loaded !== TIMED_OUT) {
          this.stats.misses++;
          if (missChannel.hasSubscribers) publishKeyEvent(missChannel, this.cacheName, key);
          return { value: loaded, status: 'miss' };
        }
        if (!this.#stillServable(key, entry)) return this.#settled(load);
        this.stats.softTimeouts++;
        this.stats.staleHits++;
        if (staleChannel.hasSubscribers) publishKeyEvent(staleChannel, this.cacheName, key);
        load.catch(() => this.#failed(key, entry));
        return { value, status: 'stale' };
      },
      (error: unknown) => {
        if (!this.#failed(key, entry)) throw error;
        this.stats.staleHits++;
        if (staleChannel.hasSubscribers) publishKeyEvent(staleChannel, this.cacheName, key);
        return { value, status: 'failSafe' };
      },
    );
  }

  /** Eager refresh: one background load of a live entry past its refresh point. */
  #refreshAhead<T>(key: string, entry: Entry, opts: ResolvedOptions<T>, loader: Loader<T>): void {
    const refresh = this.loads.startBackground(key, opts, loader);
    if (refresh === undefined) return;
    this.stats.backgroundRefreshes++;
    // A failed refresh leaves the live entry; the loader rests before the next hit retries.
    refresh.catch(() => {
      if (this.store.peek(key) === entry) rest(entry.resilience!, Date.now());
    });
  }

  /** Starts a refresh nobody waits on, unless a load of `key` already runs. */
  #background<T>(key: string, entry: Entry, opts: ResolvedOptions<T>, loader: Loader<T>): void {
    const refresh = this.loads.startBackground(key, opts, loader);
    if (refresh === undefined) return;
    this.stats.backgroundRefreshes++;
    refresh.catch(() => this.#failed(key, entry));
  }

  /**
   * A load failed (or hit its hard timeout) while `entry` was stale: true when fail-safe may serve
   * it instead. The first failure within a backoff counts as an activation and starts the backoff.
   */
  #failed(key: string, entry: Entry): boolean {
    if (!this.#stillServable(key, entry)) return false;
    const now = Date.now();
    const resilience = entry.resilience!;
    if (resilience.backoffUntil <= now) {
      this.stats.failSafeActivations++;
      rest(resilience, now);
    }
    return true;
  }

  /** True while `entry` is still stored for `key` and within its grace. */
  #stillServable(key: string, entry: Entry): boolean {
    return this.store.peek(key) === entry && entry.resilience!.staleUntil > Date.now();
  }

  #miss<T>(key: string, opts: ResolvedOptions<T>, loader: Loader<T>): Promise<LoadResult<T>> {
    this.stats.misses++;
    if (missChannel.hasSubscribers) publishKeyEvent(missChannel, this.cacheName, key);
    return this.#settled(this.loads.join<T>(key) ?? this.loads.load(key, opts, loader));
  }

  #settled<T>(load: Promise<T>): Promise<LoadResult<T>> {
    return load.then((value) => ({ value, status: 'miss' }));
  }
}

/** Starts the loader's rest after fail-safe served `resilience`'s entry. */
function rest(resilience: EntryResilience, now: number): void {
  resilience.backoffUntil = now + resilience.failSafeBackoff;
}
