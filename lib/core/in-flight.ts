import type { CopyPlan } from './plain-copy.js';

/** What a finished load hands to its callers: the encoded value, or nothing for `undefined`. */
export interface LoadOutcome {
  /** The key the load was for. */
  readonly key: string;
  /** Encoded value; undefined when the loader returned undefined. */
  readonly data: unknown;
  /** Callers handed a copy so far (set by the cache as it serves them). */
  served?: number;
  /** Private decoded copy later callers get clones of, once a second caller needs one. */
  template?: unknown;
  /** How to copy the template; false when it is not plain data (callers then decode their own). */
  plan?: CopyPlan | false;
  /** Set when a result tag was invalidated during the load: joins or starts a load like it. */
  readonly again?: () => Flight;
}

/** One running loader execution shared by every caller that asked for the same key meanwhile. */
export interface Flight {
  readonly key: string;
  /** Tag-index epoch when the load started; invalidations after it make result tags stale. */
  readonly startEpoch: number;
  /** Tags declared up front; invalidating one of them supersedes the load at once. */
  readonly tags: readonly string[];
  /** Set when an invalidation, flush or put overtook the load: its result must not be stored. */
  stale: boolean;
  /** Settles with the load's outcome; rejects with the loader's own error. */
  promise: Promise<LoadOutcome>;
}

/**
 * Local single-flight: at most one running load per key. A superseded load leaves the map at once,
 * so callers arriving after an invalidation start a fresh load instead of joining the stale one;
 * the map therefore only ever holds loads whose result may still be stored.
 */
export class InFlightLoads {
  readonly #flights = new Map<string, Flight>();

  /** Number of loads callers can still join. */
  get size(): number {
    return this.#flights.size;
  }

  /** Start epoch of the oldest joinable load (map order is start order), if any. */
  get oldestStart(): number | undefined {
    for (const flight of this.#flights.values()) return flight.startEpoch;
    return undefined;
  }

  /** The joinable load for `key`, if one is running. */
  get(key: string): Flight | undefined {
    return this.#flights.get(key);
  }

  /** Registers a load that is about to start. */
  add(flight: Flight): void {
    this.#flights.set(flight.key, flight);
  }

  /** Removes a finished load, unless a newer one already took its key. */
  finish(flight: Flight): void {
    if (this.#flights.get(flight.key) === flight) this.#flights.delete(flight.key);
  }

  /** Marks the load for `key` stale and stops new callers from joining it. */
  supersede(key: string): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    flight.stale = true;
    this.#flights.delete(key);
  }

  /** Supersedes every load that declared `tag`. */
  supersedeTagged(tag: string): void {
    for (const flight of this.#flights.values()) {
      if (flight.tags.includes(tag)) this.supersede(flight.key);
    }
  }

  /** Supersedes every load. */
  supersedeAll(): void {
    for (const flight of this.#flights.values()) flight.stale = true;
    this.#flights.clear();
  }
}
