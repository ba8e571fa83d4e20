import type { CacheStats, LoadStatus } from '../../lib/index.js';
import { zeroCounters, type Counters } from './zero-counters.js';

/**
 * A deliberately naive model of what docs/resilience.md promises for grace, stale-while-revalidate,
 * fail-safe with backoff, soft and hard timeouts and expire, for the model-based test
 * (test/core/model.resilience.property.spec.ts). Capacity is assumed large enough never to evict.
 */

/** The cache's `defaultTtl` in the model test (ms). */
export const MODEL_DEFAULT_TTL = 1_000;
/** The cache's default `failSafeBackoff` (ms), as documented. */
export const MODEL_DEFAULT_BACKOFF = 10_000;

/** The tag a loaded value brings when its load has `resultTags`: one of t1..t3, by the value. */
export function resultTagOf(value: number): string {
  return `t${(((value % 3) + 3) % 3) + 1}`;
}

/** The options a modelled get-or-load call passes. */
export interface ModelLoadOptions {
  tags: string[];
  /** True: the loaded value also brings the tag {@link resultTagOf} gives it (`resultTags`). */
  resultTags?: boolean;
  ttl: number | undefined;
  grace: number | undefined;
  failSafeBackoff: number | undefined;
  timeout: number | undefined;
  hardTimeout: number | undefined;
}

/** What one caller is expected to get: a value with its status, or the loader's failure or `E_LOAD_TIMEOUT`. */
export type Expected =
  | { ok: true; value: unknown; status: LoadStatus }
  | { ok: false; error: 'failure' | 'E_LOAD_TIMEOUT' };

interface ModelEntry {
  readonly value: unknown;
  readonly tags: readonly string[];
  expiresAt: number;
  /** Expiry plus grace: until then get-or-load may serve it stale. */
  staleUntil: number;
  readonly grace: number;
  readonly failSafeBackoff: number;
  backoffUntil: number;
}

interface ModelFlight {
  readonly key: string;
  readonly tags: readonly string[];
  superseded: boolean;
  released: boolean;
  /** For a load with result tags: the tags invalidated or expired while it ran, until superseded. */
  readonly invalidated: Set<string> | undefined;
}

/** How a batch of concurrent calls was answered at its start. */
type RunKind = 'hit' | 'backoff' | 'miss' | 'revalidate' | 'wait';

/** One batch of concurrent get-or-load calls of a key, followed through timeouts and its load's end. */
export class ModelRun {
  /** Per caller: still waiting, waiting on the load after its soft timeout found nothing servable, or answered. */
  readonly modes: ('waiting' | 'onLoad' | 'answered')[];
  readonly results: (Expected | undefined)[];
  flight: ModelFlight | undefined;

  constructor(
    readonly key: string,
    readonly options: ModelLoadOptions,
    readonly kind: RunKind,
    callers: number,
    /** The stale entry the calls found, for the stale kinds. */
    readonly entry: ModelEntry | undefined,
  ) {
    this.modes = Array.from({ length: callers }, () => 'waiting');
    this.results = Array.from({ length: callers }, () => undefined);
  }

  /** Loader calls this run makes: one when a load started, none otherwise. */
  get loaderCalls(): number {
    return this.flight === undefined ? 0 : 1;
  }

  answer(i: number, expected: Expected): void {
    this.modes[i] = 'answered';
    this.results[i] = expected;
  }

  answerAll(expected: Expected): void {
    for (let i = 0; i < this.modes.length; i++) this.answer(i, expected);
  }
}

/** The model: a Map of entries with expiry, grace and backoff, and the loads that may still store. */
export class ResilienceModel {
  readonly entries = new Map<string, ModelEntry>();
  readonly counters: Counters = zeroCounters();

  get stats(): CacheStats {
    return { ...this.counters, size: this.entries.size };
  }

  get indexedTags(): number {
    return new Set([...this.entries.values()].flatMap((e) => e.tags)).size;
  }

  /** A read by key: drops an entry past its grace, as every read does. */
  #touch(key: string): ModelEntry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.staleUntil <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key: string, value: unknown, tags: readonly string[], o: Partial<ModelLoadOptions>): void {
    const now = Date.now();
    const ttl = o.ttl ?? MODEL_DEFAULT_TTL;
    const expiresAt = ttl === Infinity ? Infinity : now + ttl;
    const grace = o.grace ?? 0;
    this.entries.set(key, {
      value,
      tags,
      expiresAt,
      staleUntil: expiresAt + grace,
      grace,
      failSafeBackoff: o.failSafeBackoff ?? MODEL_DEFAULT_BACKOFF,
      backoffUntil: 0,
    });
  }

  /**
   * Loads that may still store: the running one, and those a hard timeout released that never
   * settle. A superseded load leaves (it can no longer store, so records nothing more).
   */
  readonly #storable = new Set<ModelFlight>();

  /** Tags recorded by released loads that never settle (the cache's `tagGenerations`). */
  get tagGenerations(): number {
    let count = 0;
    for (const flight of this.#storable) count += flight.invalidated?.size ?? 0;
    return count;
  }

  #supersede(matches: (flight: ModelFlight) => boolean): void {
    for (const flight of this.#storable) {
      if (!matches(flight)) continue;
      flight.superseded = true;
      this.#storable.delete(flight);
    }
  }

  /**
   * Supersedes the loads that declared `tag`; as in the cache, superseding a joinable load
   * supersedes the released loads of its key too.
   */
  #supersedeTag(tag: string): void {
    const keys = new Set<string>();
    for (const f of this.#storable) if (!f.released && f.tags.includes(tag)) keys.add(f.key);
    this.#supersede((f) => f.tags.includes(tag) || keys.has(f.key));
  }

  /** `tag` was invalidated or expired: loads with result tags that may still store take note. */
  #record(tag: string): void {
    for (const flight of this.#storable) flight.invalidated?.add(tag);
  }

  put(key: string, value: unknown, tags: string[], ttl: number | undefined): void {
    this.#supersede((f) => f.key === key);
    this.#write(key, value, tags, { ttl });
  }

  /** `get`: an entry past its TTL is absent, even within grace. */
  get(key: string): unknown {
    const entry = this.#touch(key);
    if (entry !== undefined && entry.expiresAt > Date.now()) {
      this.counters.hits++;
      return entry.value;
    }
    this.counters.misses++;
    return undefined;
  }

  containsKey(key: string): boolean {
    const entry = this.#touch(key);
    return entry !== undefined && entry.expiresAt > Date.now();
  }

  invalidateKey(key: string): boolean {
    this.#supersede((f) => f.key === key);
    const entry = this.entries.get(key);
    this.entries.delete(key);
    const live = entry !== undefined && entry.expiresAt > Date.now();
    if (live) this.counters.invalidations++;
    return live;
  }

  invalidateTag(tag: string): number {
    this.#supersedeTag(tag);
    this.#record(tag);
    let removed = 0;
    for (const [key, entry] of [...this.entries]) {
      if (!entry.tags.includes(tag)) continue;
      this.entries.delete(key);
      if (entry.expiresAt > Date.now()) removed++;
    }
    this.counters.invalidations += removed;
    return removed;
  }

  /** Expires a stored entry now: grace starts now; without grace it is removed. True when it was live. */
  #expire(key: string, entry: ModelEntry): boolean {
    const now = Date.now();
    const wasLive = entry.expiresAt > now;
    if (entry.grace === 0) {
      this.entries.delete(key);
    } else if (wasLive) {
      entry.expiresAt = now;
      entry.staleUntil = now + entry.grace;
    }
    return wasLive;
  }

  expireKey(key: string): number {
    this.#supersede((f) => f.key === key);
    const entry = this.entries.get(key);
    return entry !== undefined && this.#expire(key, entry) ? 1 : 0;
  }

  expireTag(tag: string): number {
    this.#supersedeTag(tag);
    this.#record(tag);
    let expired = 0;
    for (const [key, entry] of [...this.entries]) {
      if (entry.tags.includes(tag) && this.#expire(key, entry)) expired++;
    }
    return expired;
  }

  flush(): void {
    this.#supersede(() => true);
    this.entries.clear();
  }

  /** `callers` concurrent get-or-load calls of `key`: how each is answered at once, and the load they start. */
  start(key: string, options: ModelLoadOptions, callers: number): ModelRun {
    const now = Date.now();
    const entry = this.#touch(key);
    const c = this.counters;
    if (entry !== undefined && entry.expiresAt > now) {
      c.hits += callers;
      const run = new ModelRun(key, options, 'hit', callers, undefined);
      run.answerAll({ ok: true, value: entry.value, status: 'hit' });
      return run;
    }
    if (entry === undefined) {
      c.misses += callers;
      c.singleFlightJoins += callers - 1;
      return this.#startLoad(new ModelRun(key, options, 'miss', callers, undefined));
    }
    if (entry.backoffUntil > now) {
      // The loader rests after fail-safe served this entry: the stale value at once, no load.
      c.staleHits += callers;
      const run = new ModelRun(key, options, 'backoff', callers, entry);
      run.answerAll({ ok: true, value: entry.value, status: 'failSafe' });
      return run;
    }
    c.backgroundRefreshes++;
    if ((options.timeout ?? 0) === 0) {
      c.staleHits += callers;
      const run = this.#startLoad(new ModelRun(key, options, 'revalidate', callers, entry));
      run.answerAll({ ok: true, value: entry.value, status: 'stale' });
      return run;
    }
    c.singleFlightJoins += callers - 1;
    return this.#startLoad(new ModelRun(key, options, 'wait', callers, entry));
  }

  #startLoad(run: ModelRun): ModelRun {
    this.counters.loads++;
    run.flight = {
      key: run.key,
      tags: run.options.tags,
      superseded: false,
      released: false,
      invalidated: run.options.resultTags === true ? new Set() : undefined,
    };
    this.#storable.add(run.flight);
    return run;
  }

  /** The callers' soft timeout passed: those still waiting get the stale value while it is still stored and within grace. */
  softTimeout(run: ModelRun): void {
    if (run.kind !== 'wait') return;
    const servable = this.#servable(run);
    run.modes.forEach((mode, i) => {
      if (mode !== 'waiting') return;
      if (!servable) {
        run.modes[i] = 'onLoad';
        return;
      }
      this.counters.softTimeouts++;
      this.counters.staleHits++;
      run.answer(i, { ok: true, value: run.entry!.value, status: 'stale' });
    });
  }

  /** The load's hard timeout passed: it is released and fails with E_LOAD_TIMEOUT. */
  hardTimeout(run: ModelRun): void {
    if (run.flight === undefined || run.flight.released) return;
    this.counters.hardTimeouts++;
    run.flight.released = true;
    this.#loadFailed(run, 'E_LOAD_TIMEOUT');
  }

  /** The loader settles: `value` (stored unless superseded), a failure, or never. */
  settle(run: ModelRun, outcome: 'value' | 'fail' | 'hang', value: unknown): void {
    const flight = run.flight;
    if (flight === undefined) return;
    // A load that never settles stays, released, among those that may still store.
    if (outcome === 'hang') return;
    this.#storable.delete(flight);
    if (outcome === 'fail') {
      if (!flight.released) this.#loadFailed(run, 'failure');
      return;
    }
    if (value !== undefined) {
      // Result tags are known only now: one invalidated while the load ran makes it stale too.
      const extra = flight.invalidated === undefined ? [] : [resultTagOf(value as number)];
      if (flight.superseded || extra.some((t) => flight.invalidated!.has(t))) {
        this.counters.staleLoadDiscards++;
      } else {
        this.#write(run.key, value, [...run.options.tags, ...extra], run.options);
        // Released loads of the key started before this store: their results may not replace it.
        this.#supersede((f) => f.key === run.key);
      }
    }
    if (flight.released) return;
    run.modes.forEach((mode, i) => {
      if (mode === 'answered') return;
      if (mode === 'waiting' && run.kind === 'wait') this.counters.misses++;
      run.answer(i, { ok: true, value, status: 'miss' });
    });
  }

  #loadFailed(run: ModelRun, error: 'failure' | 'E_LOAD_TIMEOUT'): void {
    if (run.kind === 'revalidate') {
      this.#failSafe(run);
      return;
    }
    run.modes.forEach((mode, i) => {
      if (run.kind === 'miss' || mode === 'onLoad') run.answer(i, { ok: false, error });
      else if (mode === 'answered') this.#failSafe(run);
      else if (this.#failSafe(run)) {
        this.counters.staleHits++;
        run.answer(i, { ok: true, value: run.entry!.value, status: 'failSafe' });
      } else run.answer(i, { ok: false, error });
    });
  }

  /** The load failed while the run's entry was stale: true when fail-safe serves it; the first activation starts the backoff. */
  #failSafe(run: ModelRun): boolean {
    if (!this.#servable(run)) return false;
    const entry = run.entry!;
    const now = Date.now();
    if (entry.backoffUntil <= now) {
      this.counters.failSafeActivations++;
      entry.backoffUntil = now + entry.failSafeBackoff;
    }
    return true;
  }

  #servable(run: ModelRun): boolean {
    return this.entries.get(run.key) === run.entry && run.entry!.staleUntil > Date.now();
  }
}
