import type { CopyPlan } from './plain-copy.js';

/** What a finished load hands to its callers: the encoded value, or nothing for `undefined`. */
export interface LoadOutcome {
  /** The key the load was for. */
  readonly key: string;
  /** Encoded value; undefined when the loader returned undefined. */
  readonly data: unknown;
  /**
   * The first caller's value when the load already decoded it (a second-tier hit is decoded to
   * check it): handed out once instead of decoding the same bytes again.
   */
  first?: unknown;
  /** Callers handed a copy so far (set by the cache as it serves them). */
  served?: number;
  /** Private decoded copy later callers get clones of, once a second caller needs one. */
  template?: unknown;
  /** How to copy the template; false when it is not plain data (callers then decode their own). */
  plan?: CopyPlan | false;
  /**
   * Set when a result tag was invalidated during the load: joins or starts a fresh load of the
   * key, for the callers that joined this one (see LoadCoordinator).
   */
  readonly retry?: () => Flight;
}

/** Marks a load for which every tag counts as invalidated (too many to record). */
export const EVERY_TAG = 'every tag';

/** A load records at most this many invalidated tags; beyond it, every tag counts as invalidated. */
export const MAX_RECORDED_TAGS = 256;

/** At most this many loads released by a hard timeout are watched; beyond it the oldest may no longer store. */
export const MAX_DETACHED = 1024;

/** One running loader execution shared by every caller that asked for the same key meanwhile. */
export interface Flight {
  readonly key: string;
  /** Tags declared up front; invalidating one of them supersedes the load at once. */
  readonly tags: readonly string[];
  /** Set when an invalidation, flush or put overtook the load: its result must not be stored. */
  stale: boolean;
  /**
   * For a load whose result brings tags of its own (known only when it finishes): the tags
   * invalidated since it started, or EVERY_TAG. Undefined for other loads, which need no record.
   */
  invalidatedTags: Set<string> | typeof EVERY_TAG | undefined;
  /** Settles with the load's outcome; undefined while the loader is still being called. */
  promise: Promise<LoadOutcome> | undefined;
  /**
   * With values kept by reference, the one promise of the value every caller that joined before
   * any invalidation gets: they would all get the same value anyway (see LoadCoordinator).
   */
  shared: Promise<unknown> | undefined;
  /** Its hard timeout's timer, if it has one (held while a caller waits on the load). */
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Local single-flight: at most one joinable load per key. A superseded load leaves the map at once,
 * so callers arriving after an invalidation start a fresh load instead of joining the stale one.
 *
 * Loads with result tags are also watched while their result may still be stored: each records
 * the tags invalidated while it runs, so that when it finishes the cache can tell whether its
 * result tags went stale. A superseded load is stale whatever it records, so it stops recording
 * and is forgotten at once (its record, frozen, still tells the callers that joined it whether a
 * result tag was invalidated before they did); a load released by its hard timeout is watched
 * until it settles, among at most {@link MAX_DETACHED}. The record is per load and capped
 * (MAX_RECORDED_TAGS); past the cap the load counts every tag as invalidated, which only costs it
 * the storing of its result. So no record outlives the load's place in these bounded sets.
 */
export class InFlightLoads {
  readonly #joinable = new Map<string, Flight>();
  readonly #watched = new Set<Flight>();
  /** Loads released by a hard timeout but still running: still superseded by what overtakes them. */
  readonly #detached = new Set<Flight>();

  /** Number of loads callers can still join. */
  get size(): number {
    return this.#joinable.size;
  }

  /** Invalidated tags recorded for running loads (EVERY_TAG counts as one). */
  get recordedTags(): number {
    let count = 0;
    for (const flight of this.#watched) {
      const tags = flight.invalidatedTags;
      count += tags === EVERY_TAG ? 1 : (tags?.size ?? 0);
    }
    return count;
  }

  /** The joinable load for `key`, if one is running. */
  get(key: string): Flight | undefined {
    return this.#joinable.get(key);
  }

  /** Registers a load that is about to start. */
  add(flight: Flight): void {
    this.#joinable.set(flight.key, flight);
    if (flight.invalidatedTags !== undefined) this.#watched.add(flight);
  }

  /** Forgets a finished load (its key may already belong to a newer one). */
  finish(flight: Flight): void {
    if (this.#joinable.get(flight.key) === flight) this.#joinable.delete(flight.key);
    this.#watched.delete(flight);
    this.#detached.delete(flight);
  }

  /**
   * Releases a running load (its hard timeout fired): new callers start a fresh one, while this
   * one may still store its result if nothing overtakes it. Past {@link MAX_DETACHED} released
   * loads, the oldest is marked stale and forgotten (a loader that never settles costs nothing).
   */
  detach(flight: Flight): void {
    if (this.#joinable.get(flight.key) === flight) this.#joinable.delete(flight.key);
    if (this.#detached.size >= MAX_DETACHED) {
      this.#drop(this.#detached.values().next().value!);
    }
    this.#detached.add(flight);
  }

  /** True when a load of `key` runs that callers can join. */
  has(key: string): boolean {
    return this.#joinable.has(key);
  }

  /** Marks the load for `key` stale and stops new callers from joining it; released loads of `key` too. */
  supersede(key: string): void {
    this.supersedeReleased(key);
    const flight = this.#joinable.get(key);
    if (flight === undefined) return;
    this.#joinable.delete(key);
    this.#drop(flight);
  }

  /** Marks released loads of `key` stale: a value stored since they started must win over theirs. */
  supersedeReleased(key: string): void {
    if (this.#detached.size === 0) return;
    for (const flight of this.#detached) if (flight.key === key) this.#drop(flight);
  }

  /** Supersedes every load that declared `tag`, and records `tag` for loads with result tags. */
  tagInvalidated(tag: string): void {
    for (const flight of this.#joinable.values()) {
      if (flight.tags.includes(tag)) this.supersede(flight.key);
    }
    for (const flight of this.#detached) if (flight.tags.includes(tag)) this.#drop(flight);
    for (const flight of this.#watched) {
      const tags = flight.invalidatedTags;
      if (tags === EVERY_TAG || tags === undefined) continue;
      if (tags.size < MAX_RECORDED_TAGS) tags.add(tag);
      else flight.invalidatedTags = EVERY_TAG;
    }
  }

  /** Supersedes every load (a flush invalidates no tag: records of earlier ones stay). */
  supersedeAll(): void {
    for (const flight of this.#joinable.values()) this.#drop(flight);
    this.#joinable.clear();
    for (const flight of this.#detached) this.#drop(flight);
  }

  /**
   * Marks a load that left the joinable map stale and forgets it: it can no longer store, so
   * nothing it records matters any more, and a loader that never settles keeps nothing here.
   */
  #drop(flight: Flight): void {
    flight.stale = true;
    this.#watched.delete(flight);
    this.#detached.delete(flight);
  }
}

/**
 * True when a caller joining `flight` now arrives after an invalidation it recorded: the result
 * may then predate an invalidation of one of its own tags, which the caller must not be served
 * (see LoadCoordinator). False for loads without result tags, whose tags are all declared.
 */
export function joinsLate(flight: Flight): boolean {
  const recorded = flight.invalidatedTags;
  return recorded !== undefined && (recorded === EVERY_TAG || recorded.size > 0);
}

/** True when any of `tags` was invalidated while `flight` ran. */
export function invalidatedDuring(flight: Flight, tags: readonly string[]): boolean {
  const recorded = flight.invalidatedTags;
  if (recorded === EVERY_TAG) return tags.length > 0;
  if (recorded === undefined) return false;
  for (const tag of tags) if (recorded.has(tag)) return true;
  return false;
}
