import { CacheErrors } from './cache.errors.js';
import {
  joinChannel,
  loadChannel,
  publishKeyEvent,
  staleDiscardChannel,
  traceLoad,
} from './cache-events.js';
import { checkTtl, type ResilienceOptions, type ResolvedOptions } from './cache-options.js';
import type { StatsCounters } from './cache-stats.js';
import {
  InFlightLoads,
  invalidatedDuring,
  joinsLate,
  type Flight,
  type LoadOutcome,
} from './in-flight.js';
import type { TierLoads } from './l2/tier-loads.js';
import type { TierHit, TierTicket } from './l2/second-tier.js';
import { WaitTimers, withHardTimeout } from './load-timeouts.js';
import type { StoredValues } from './stored-values.js';
import { tagList } from './tag-set.js';

/** A loader: returns the value (or a promise of it) to cache on a miss. */
export type Loader<T> = () => T | PromiseLike<T>;

/** Returned by {@link LoadHost.readForLoad} when there is no usable entry. */
export const MISS: unique symbol = Symbol('miss');

/** What the coordinator needs from the cache it loads for. */
export interface LoadHost {
  /** The cache's name, reported on load events. */
  readonly cacheName: string;
  /** The decoded value stored for `key`, or MISS; an undecodable entry is dropped. */
  readForLoad(key: string): unknown;
  /** Stores a finished load's result, which the coordinator has found fresh, with its load's resilience options; returns the TTL (ms) it got. */
  storeLoaded(
    key: string,
    data: unknown,
    tags: readonly string[],
    ttl: number | undefined,
    options: ResilienceOptions,
  ): number;
}

/**
 * Runs the loads that fill misses: one at a time per key (single-flight), each caller served its
 * own copy, and no result stored when an invalidation overtook the load (stale-load safety). The
 * one place where a load starts, is joined, stores its result or is retried.
 */
export class LoadCoordinator {
  readonly #inFlight = new InFlightLoads();
  /** Hands one caller of a finished load its copy (one function for all loads: no per-call closure). */
  readonly #serve = (outcome: LoadOutcome): unknown => this.values.copyOf(outcome);
  /**
   * As #serve, for a caller that joined the load after it recorded an invalidation: when a result
   * tag was invalidated during the load, that caller may have arrived after the invalidation, so
   * it loads once more (see #run) instead of taking a result that may predate it.
   */
  readonly #serveLate = (outcome: LoadOutcome): unknown =>
    outcome.retry === undefined
      ? this.values.copyOf(outcome)
      : this.#retry(outcome.key, outcome.retry);
  /** The timers callers wait on: held while they wait, released by {@link close}. */
  readonly timers = new WaitTimers();

  constructor(
    private readonly host: LoadHost,
    private readonly values: StoredValues,
    private readonly stats: StatsCounters,
    private readonly maxEntryBytes: number,
    /** The cache's default hard timeout in ms (`Infinity` for none). */
    private readonly defaultHardTimeout: number,
    /** The second tier a miss reads before its loader runs, and a load fills; none without `l2`. */
    private readonly tier?: TierLoads,
  ) {}

  /** Loads callers can still join. */
  get size(): number {
    return this.#inFlight.size;
  }

  /** Invalidated tags recorded for running loads with result tags. */
  get recordedTags(): number {
    return this.#inFlight.recordedTags;
  }

  /**
   * Joins the running load of `key`, settling with the caller's copy; undefined when none runs.
   * Tried before {@link load} so a joiner's options (already checked) are never built.
   */
  join<T>(key: string): Promise<T> | undefined {
    const running = this.#inFlight.get(key);
    return running === undefined ? undefined : (this.#joined(key, running) as Promise<T>);
  }

  /** The miss path: joins the running load of `key` or starts one; settles with the caller's copy. */
  load<T>(key: string, opts: ResolvedOptions<T>, loader: Loader<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running !== undefined) return this.#joined(key, running) as Promise<T>;
    return this.#served(this.#start(key, opts, loader, true)) as Promise<T>;
  }

  /** True when a load of `key` runs that callers can join. */
  loading(key: string): boolean {
    return this.#inFlight.has(key);
  }

  /**
   * Starts a load of `key` nobody waits on (a background refresh), unless one already runs:
   * undefined then. The promise settles when the load does; the caller must handle its rejection.
   */
  startBackground<T>(
    key: string,
    opts: ResolvedOptions<T>,
    loader: Loader<T>,
  ): Promise<unknown> | undefined {
    if (this.#inFlight.has(key)) return undefined;
    // Nobody waits on a refresh; and it wants a newer value than the entry it replaces, which the
    // second tier may still hold, so it skips the tier.
    return this.#start(key, opts, loader, false, false).promise!;
  }

  /** The cache closed: no timer keeps the process alive any more, not even for a waiting caller. */
  close(): void {
    this.timers.close();
  }

  /** A put or key invalidation overtook any load of `key`. */
  supersede(key: string): void {
    this.#inFlight.supersede(key);
  }

  /** `tag` was invalidated: loads that declared it are superseded, the others take note. */
  tagInvalidated(tag: string): void {
    this.#inFlight.tagInvalidated(tag);
  }

  /** A flush overtook every load. */
  supersedeAll(): void {
    this.#inFlight.supersedeAll();
  }

  /** The running load of `key` for a retrying caller to join, or a new one it starts. */
  #joinOrStart<T>(key: string, opts: ResolvedOptions<T>, loader: Loader<T>): Flight {
    const running = this.#inFlight.get(key);
    if (running === undefined) return this.#start(key, opts, loader, true);
    this.#countJoin(key, running);
    return running;
  }

  /** A caller joining `running`: its copy of the result, or of a fresh load if it joined late. */
  #joined(key: string, running: Flight): Promise<unknown> {
    this.#countJoin(key, running);
    return joinsLate(running) ? running.promise!.then(this.#serveLate) : this.#served(running);
  }

  /**
   * A caller's copy of `flight`'s result. Values kept by reference are the same for every caller,
   * so they all share one promise of it: a stampede of thousands of joiners then costs one
   * reaction each on that promise, as a plain shared promise would, instead of two.
   */
  #served(flight: Flight): Promise<unknown> {
    if (!this.values.byReference) return flight.promise!.then(this.#serve);
    return (flight.shared ??= flight.promise!.then(this.#serve));
  }

  /** Counts a join of `running`, whose hard timeout now keeps the process alive for the joiner. */
  #countJoin(key: string, running: Flight): void {
    // Still being called: its own loader asked for its key and would wait on itself.
    if (running.promise === undefined || running === this.#calling)
      throw CacheErrors.reentrantLoad(key);
    this.stats.singleFlightJoins++;
    if (joinChannel.hasSubscribers) publishKeyEvent(joinChannel, this.host.cacheName, key);
    if (running.timer !== undefined) this.timers.hold(running.timer);
  }

  /**
   * Starts a load of `key`: `waited` when a caller waits on it (not a background refresh),
   * `viaTier` when it may be answered by the second tier before its loader runs.
   */
  #start<T>(
    key: string,
    opts: ResolvedOptions<T>,
    loader: Loader<T>,
    waited: boolean,
    viaTier = true,
  ): Flight {
    const flight: Flight = {
      key,
      tags: opts.tags,
      stale: false,
      invalidatedTags: opts.resultTags === undefined ? undefined : new Set(),
      promise: undefined,
      // Every field set here, so that all flights share one shape (monomorphic reads).
      shared: undefined,
      timer: undefined,
    };
    this.#inFlight.add(flight);
    const run = this.#run(flight, opts, loader, viaTier);
    const hardTimeout = opts.hardTimeout ?? this.defaultHardTimeout;
    // No timer at all without a hard timeout.
    if (hardTimeout === Infinity) {
      flight.promise = run;
      return flight;
    }
    const timed = withHardTimeout(run, hardTimeout, this.timers, waited, () => {
      // Released: the next caller starts afresh; this load may still store its result,
      // through the same stale-load check (released loads are still superseded).
      this.#inFlight.detach(flight);
      this.stats.hardTimeouts++;
      return CacheErrors.loadTimeout(key, hardTimeout);
    });
    flight.promise = timed.promise;
    flight.timer = timed.timer;
    return flight;
  }

  async #run<T>(
    flight: Flight,
    opts: ResolvedOptions<T>,
    loader: Loader<T>,
    viaTier: boolean,
  ): Promise<LoadOutcome> {
    let ticket: TierTicket | undefined;
    try {
      // No await without a tier: the loader is then called synchronously, as it always was.
      const lookup = viaTier ? this.tier?.lookup(flight.key, opts) : undefined;
      const found = lookup === undefined ? undefined : await lookup;
      if (found?.hit === true) {
        const decoded = this.#fromTier(flight, opts, found);
        if (decoded !== undefined)
          return { key: flight.key, data: decoded.data, first: decoded.first };
      } else ticket = found?.ticket;
      const value = await this.#callLoader(flight, loader);
      if (value === undefined) return { key: flight.key, data: undefined };
      const data = this.values.encode(flight.key, value);
      const { stale, filling } = this.#store(flight, opts, value, data, ticket);
      if (filling !== undefined) {
        ticket = undefined; // the fill uses it up
        await filling;
      }
      if (!stale) return { key: flight.key, data };
      // A tag of the result was invalidated while it loaded, and callers kept joining the load
      // meanwhile, since its result tags were unknown until now. Those that joined after the load
      // recorded an invalidation may have arrived after this one and must not get a result that
      // predates it: they load once more (#serveLate). The others arrived before any.
      return { key: flight.key, data, retry: () => this.#joinOrStart(flight.key, opts, loader) };
    } finally {
      this.#inFlight.finish(flight);
      // A lookup's reservation (a lease) for a load that failed or stored nothing.
      if (ticket !== undefined) void this.tier!.release(flight.key, ticket);
    }
  }

  /** The flight whose loader is being called right now (after a second-tier lookup). */
  #calling: Flight | undefined;

  /** Calls `flight`'s loader, marked as being called so that a re-entrant call is caught. */
  #callLoader<T>(flight: Flight, loader: Loader<T>): T | PromiseLike<T> {
    // Counted here, not when the load starts: a second-tier hit runs no loader.
    this.stats.loads++;
    const outer = this.#calling;
    this.#calling = flight;
    try {
      return loadChannel.hasSubscribers
        ? traceLoad(this.host.cacheName, flight.key, loader)
        : loader();
    } finally {
      this.#calling = outer;
    }
  }

  /**
   * A second-tier hit as this cache's stored form, stored here too unless an invalidation
   * overtook the lookup (its callers still get it, as with any load); undefined when it does
   * not decode here (the loader runs instead). `first`: the value decoded to check it, for the
   * first caller (the bytes are not decoded twice).
   */
  #fromTier<T>(
    flight: Flight,
    opts: ResolvedOptions<T>,
    hit: TierHit,
  ): { data: unknown; first: unknown } | undefined {
    const decoded = this.tier!.dataOf(hit);
    if (decoded === undefined || flight.stale) return decoded;
    this.host.storeLoaded(flight.key, decoded.data, hit.tags, hit.ttl, opts);
    this.#inFlight.supersedeReleased(flight.key);
    return decoded;
  }

  /**
   * Stores a load's result unless it is stale, and fills the second tier with it when the load
   * holds a `ticket`. `stale`: a result tag made it stale; `filling`: the fill, when one started.
   */
  #store<T>(
    flight: Flight,
    opts: ResolvedOptions<T>,
    value: T,
    data: unknown,
    ticket: TierTicket | undefined,
  ): { stale: boolean; filling?: Promise<void> } {
    const extra =
      opts.resultTags === undefined ? undefined : tagList(opts.resultTags(value), 'resultTags');
    const stale = extra !== undefined && invalidatedDuring(flight, extra);
    // Any truthy answer counts: `unless: (v) => v.error` means "not when there is an error".
    if (opts.unless?.(value)) return { stale };
    if (this.values.byteLength(data) > this.maxEntryBytes) return { stale };
    if (flight.stale || stale) {
      this.stats.staleLoadDiscards++;
      if (staleDiscardChannel.hasSubscribers)
        publishKeyEvent(staleDiscardChannel, this.host.cacheName, flight.key);
      return { stale };
    }
    const tags = extra === undefined ? opts.tags : [...opts.tags, ...extra];
    const ttl = typeof opts.ttl === 'function' ? checkTtl(opts.ttl(value), 'ttl') : opts.ttl;
    const stored = this.host.storeLoaded(flight.key, data, tags, ttl, opts);
    // Loads released by a hard timeout started before this store: their results may not replace it.
    this.#inFlight.supersedeReleased(flight.key);
    const filling =
      ticket === undefined
        ? undefined
        : this.tier!.fill(flight.key, data, opts.tags, extra ?? [], stored, ticket);
    return { stale: false, filling };
  }

  /**
   * A late joiner's second try after its load went stale: a hit, or the load `retry` joins or
   * starts, whose result it takes whatever it is (that load started after the caller arrived).
   */
  #retry(key: string, retry: () => Flight): Promise<unknown> {
    try {
      const hit = this.host.readForLoad(key);
      if (hit !== MISS) return Promise.resolve(hit);
      return retry().promise!.then(this.#serve);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}
