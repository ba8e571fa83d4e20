import { CacheErrors } from './cache.errors.js';
import { readOptions, type FieldTable } from './option-fields.js';
import { TagSet, tagList } from './tag-set.js';

/** Plain-object form of per-entry options, accepted wherever a {@link CacheOptions} is. */
export interface CacheOptionsInit {
  /** Time to live in milliseconds (> 0, or `Infinity` for no expiry). Default: the cache's `defaultTtl`. */
  ttl?: number;
  /** Invalidation tags: one string, an iterable of strings, or a TagSet. Default: none. */
  tags?: Iterable<string> | TagSet | string;
  /** `false` keeps this entry out of the cache's second tier (`l2` setting): this instance only. Default: true. */
  l2?: boolean;
}

/** A TTL in milliseconds, or a function of the loaded value giving one (adaptive TTL). */
export type TtlInput<T> = number | ((value: T) => number);

/** Extra options of the get-or-load family, on top of the per-entry ones. */
export interface LoadOptionsInit<T> extends Omit<CacheOptionsInit, 'ttl'> {
  /**
   * Time to live in milliseconds (> 0, or `Infinity`), or a function of the loaded value giving
   * one, e.g. `(user) => (user === null ? 5_000 : 60_000)`. Default: the cache's `defaultTtl`.
   */
  ttl?: TtlInput<T>;
  /** How long (ms, >= 0) after its TTL the entry may still be served stale by get-or-load. Default: the cache's `grace` (0). */
  grace?: number;
  /** After fail-safe served a stale value, how long (ms, >= 0) the loader is not called again for the key. Default: the cache's (10 000). */
  failSafeBackoff?: number;
  /** Soft timeout (ms, >= 0): with a stale value, how long a caller waits for the refresh before getting the stale value. Default: the cache's (0: pure stale-while-revalidate). */
  timeout?: number;
  /** Hard timeout (ms, > 0) of the load this call starts: it then rejects with `E_LOAD_TIMEOUT` (or fail-safe serves a stale value). Default: the cache's (none). */
  hardTimeout?: number;
  /** Fraction of the TTL (0 < f < 1) after which the first hit starts a background refresh. Default: the cache's (none). */
  refreshAhead?: number;
  /** Random spread of the TTL: a fraction (0 <= f < 1) by which each stored TTL is shortened at random. Default: the cache's (0). */
  ttlJitter?: number;
  /** Tags known only from the loaded value; merged with `tags` and given the same stale-load safety. */
  resultTags?: (value: T) => Iterable<string> | TagSet | string;
  /** Return true to hand the loaded value back without caching it (e.g. `(v) => v === null`); any truthy answer counts as true. Default: cache every value. */
  unless?: (value: T) => boolean;
}

/** Anything a cache method accepts as per-entry options. */
export type CacheOptionsInput = CacheOptions | CacheOptionsInit | undefined;

/** Anything a get-or-load method accepts as options. */
export type LoadOptionsInput<T> = CacheOptions | LoadOptionsInit<T> | undefined;

/** Per-entry options: TTL and tags. Immutable: every setter returns a new instance. */
export class CacheOptions {
  readonly #ttl: number | undefined;
  readonly #tags: readonly string[];

  /** Options with `ttl` in milliseconds (default: the cache's) and `tags` (default: none). */
  constructor(ttl?: number, tags: Iterable<string> | TagSet | string = []) {
    this.#ttl = ttl === undefined ? undefined : checkTtl(ttl, 'ttl');
    this.#tags = tagList(tags);
  }

  /** Empty options: default TTL, no tags. */
  static new(): CacheOptions {
    return new CacheOptions();
  }

  /** Sets the time to live in milliseconds (> 0, or `Infinity` for no expiry). */
  ttl(ms: number): CacheOptions {
    return new CacheOptions(ms, this.#tags);
  }

  /** Appends one tag. */
  tag(tag: string): CacheOptions {
    return new CacheOptions(this.#ttl, [...this.#tags, ...tagList(tag, 'tag')]);
  }

  /** Replaces the tags with `tags` (a single string is one tag). */
  tags(tags: Iterable<string> | string): CacheOptions {
    return new CacheOptions(this.#ttl, tags);
  }

  /** Replaces the tags with the members of `tagSet`. */
  tagSet(tagSet: TagSet): CacheOptions {
    if (!(tagSet instanceof TagSet)) throw CacheErrors.invalidOption('tagSet', 'a TagSet', tagSet);
    return new CacheOptions(this.#ttl, tagSet);
  }

  /** The TTL in milliseconds, or undefined for the cache default. */
  get ttlMs(): number | undefined {
    return this.#ttl;
  }

  /** The tags, in order. */
  get tagList(): readonly string[] {
    return this.#tags;
  }
}

/** Options after validation, in the shape the runtime uses. */
export interface ResolvedOptions<T = unknown> extends ResilienceOptions {
  ttl: number | ((value: T) => number) | undefined;
  tags: readonly string[];
  resultTags: ((value: T) => unknown) | undefined;
  unless: ((value: T) => boolean) | undefined;
  l2: boolean | undefined;
}

/** The resilience options of a load, each undefined for the cache's default. */
export interface ResilienceOptions {
  grace: number | undefined;
  failSafeBackoff: number | undefined;
  timeout: number | undefined;
  hardTimeout: number | undefined;
  refreshAhead: number | undefined;
  ttlJitter: number | undefined;
}

/** The resilience fields, checked: shared by the load options and the cache settings. */
export const RESILIENCE_FIELDS: FieldTable<ResilienceOptions> = {
  grace: checkDuration,
  failSafeBackoff: checkDuration,
  timeout: checkDuration,
  hardTimeout: checkTtl,
  refreshAhead: (value, field) => checkFraction(value, field, false),
  ttlJitter: (value, field) => checkFraction(value, field, true),
};

/** Every load option, checked into the shape the runtime uses: adding one is one line here. */
const LOAD_OPTION_FIELDS: FieldTable<Required<ResolvedOptions<any>>> = {
  ttl: (ttl, field) => (typeof ttl === 'function' ? (ttl as () => number) : checkTtl(ttl, field)),
  tags: tagList,
  resultTags: (fn, field) => checkFunction(fn as (value: unknown) => unknown, field)!,
  unless: (fn, field) => checkFunction(fn as (value: unknown) => boolean, field)!,
  ...RESILIENCE_FIELDS,
  l2: checkBoolean,
};
const LOAD_OPTION_NAMES = Object.keys(LOAD_OPTION_FIELDS);
/** The per-entry subset, for `put`. */
const ENTRY_OPTION_FIELDS = { ttl: checkTtl, tags: LOAD_OPTION_FIELDS.tags, l2: checkBoolean };

const NO_OPTIONS: ResolvedOptions<any> = Object.freeze({
  ttl: undefined,
  tags: Object.freeze([]),
  resultTags: undefined,
  unless: undefined,
  l2: undefined,
  grace: undefined,
  failSafeBackoff: undefined,
  timeout: undefined,
  hardTimeout: undefined,
  refreshAhead: undefined,
  ttlJitter: undefined,
});

/** Validates get-or-load options; throws `E_INVALID_OPTION` naming the bad or unknown field. */
export function resolveOptions<T>(input: LoadOptionsInput<T>): ResolvedOptions<T> {
  return resolveWith(input, LOAD_OPTION_FIELDS);
}

/** Validates per-entry options (`put`): `resultTags` and `unless` are refused there. */
export function resolveEntryOptions(
  input: CacheOptionsInput,
): ResolvedOptions & { ttl: number | undefined } {
  // Its table checks `ttl` as a number: a TTL function is refused there.
  return resolveWith(input, ENTRY_OPTION_FIELDS) as ResolvedOptions & { ttl: number | undefined };
}

function resolveWith<T>(
  input: unknown,
  table: FieldTable<Pick<ResolvedOptions<T>, 'ttl' | 'tags'>>,
): ResolvedOptions<T> {
  if (input === undefined || input === null) return NO_OPTIONS;
  if (input instanceof CacheOptions) {
    return { ...NO_OPTIONS, ttl: input.ttlMs, tags: input.tagList };
  }
  const given: Partial<ResolvedOptions<T>> = readOptions(input, 'options', table);
  return { ...NO_OPTIONS, ...given, tags: given.tags ?? NO_OPTIONS.tags };
}

/**
 * True when `input` is a valid options value that {@link resolveOptions} would accept, checked
 * without building anything, so a cache hit allocates nothing for its options; false sends the
 * caller to `resolveOptions`, which either resolves them or throws naming the problem. Covers
 * the common shapes: undefined, a CacheOptions, a plain object with a string or an array of tags.
 */
export function optionsLookValid(input: unknown): boolean {
  if (input === undefined || input === null || input instanceof CacheOptions) return true;
  if (typeof input !== 'object' || input === null) return false;
  if (Object.getPrototypeOf(input) !== Object.prototype) return false;
  const { ttl, tags, resultTags, unless, l2 } = input as LoadOptionsInit<unknown>;
  if (
    !(ttl === undefined || (typeof ttl === 'number' && ttl > 0) || typeof ttl === 'function') ||
    !(tags === undefined || typeof tags === 'string' || isStringArray(tags)) ||
    !(resultTags === undefined || typeof resultTags === 'function') ||
    !(unless === undefined || typeof unless === 'function') ||
    !(l2 === undefined || typeof l2 === 'boolean')
  ) {
    return false;
  }
  // Own fields only: the prototype is Object.prototype, whose fields are not enumerable.
  for (const field in input) {
    if (!LOAD_OPTION_NAMES.includes(field)) return false;
    if (Object.hasOwn(RESILIENCE_FIELDS, field) && !resilienceLooksValid(input, field))
      return false;
  }
  return true;
}

/** Runs a resilience field's check (which allocates nothing unless it throws). */
function resilienceLooksValid(input: object, field: string): boolean {
  const value = (input as Record<string, unknown>)[field];
  if (value === undefined) return true;
  try {
    (RESILIENCE_FIELDS as Record<string, (v: unknown, f: string) => unknown>)[field]!(value, field);
    return true;
  } catch {
    return false;
  }
}

function isStringArray(tags: unknown): boolean {
  if (!Array.isArray(tags)) return false;
  for (let i = 0; i < tags.length; i++) if (typeof tags[i] !== 'string') return false;
  return true;
}

/** Checks a TTL: a number > 0 or `Infinity`. */
export function checkTtl(ms: unknown, field: string): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    throw CacheErrors.invalidOption(field, 'a number of milliseconds > 0, or Infinity', ms);
  }
  return ms;
}

/** Checks a duration: a number of milliseconds >= 0 (or `Infinity`). */
export function checkDuration(ms: unknown, field: string): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
    throw CacheErrors.invalidOption(field, 'a number of milliseconds >= 0', ms);
  }
  return ms;
}

/** Checks a fraction: 0 < f < 1, or 0 <= f < 1 when `zeroAllowed`. */
export function checkFraction(value: unknown, field: string, zeroAllowed: boolean): number {
  if (typeof value !== 'number' || !(zeroAllowed ? value >= 0 : value > 0) || !(value < 1)) {
    const range = zeroAllowed ? '0 <= f < 1' : '0 < f < 1';
    throw CacheErrors.invalidOption(field, `a fraction (${range})`, value);
  }
  return value;
}

/** Throws `E_INVALID_OPTION` naming `field` unless `fn` is undefined or a function. */
export function checkFunction<F>(fn: F | undefined, field: string): F | undefined {
  if (fn !== undefined && typeof fn !== 'function') {
    throw CacheErrors.invalidOption(field, 'a function', fn);
  }
  return fn;
}

/** Checks a boolean option. */
function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw CacheErrors.invalidOption(field, 'true or false', value);
  return value;
}
