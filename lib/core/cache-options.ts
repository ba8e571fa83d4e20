import { CacheErrors } from './cache.errors.js';
import { TagSet, tagList } from './tag-set.js';

/** Plain-object form of per-entry options, accepted wherever a {@link CacheOptions} is. */
export interface CacheOptionsInit {
  /** Time to live in milliseconds (> 0, or `Infinity` for no expiry). Default: the cache's `defaultTtl`. */
  ttl?: number;
  /** Invalidation tags: one string, an iterable of strings, or a TagSet. Default: none. */
  tags?: Iterable<string> | TagSet | string;
}

/** Extra options of the get-or-load family, on top of the per-entry ones. */
export interface LoadOptionsInit<T> extends CacheOptionsInit {
  /** Tags known only from the loaded value; merged with `tags` and given the same stale-load safety. */
  resultTags?: (value: T) => Iterable<string> | TagSet | string;
  /** Return true to hand the loaded value back without caching it (e.g. `(v) => v === null`). */
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

  constructor(ttl?: number, tags: readonly string[] = []) {
    this.#ttl = ttl === undefined ? undefined : checkTtl(ttl, 'ttl');
    this.#tags = tags;
  }

  /** Empty options: default TTL, no tags. */
  static new(): CacheOptions {
    return new CacheOptions();
  }

  /** Sets the time to live in milliseconds (> 0, or `Infinity` for no expiry). */
  ttl(ms: number): CacheOptions {
    return new CacheOptions(checkTtl(ms, 'ttl'), this.#tags);
  }

  /** Appends one tag. */
  tag(tag: string): CacheOptions {
    return new CacheOptions(this.#ttl, [...this.#tags, ...tagList(tag, 'tag')]);
  }

  /** Replaces the tags with `tags` (a single string is one tag). */
  tags(tags: Iterable<string> | string): CacheOptions {
    return new CacheOptions(this.#ttl, tagList(tags));
  }

  /** Replaces the tags with the members of `tagSet`. */
  tagSet(tagSet: TagSet): CacheOptions {
    if (!(tagSet instanceof TagSet)) throw CacheErrors.invalidOption('tagSet', 'a TagSet', tagSet);
    return new CacheOptions(this.#ttl, tagSet.toArray());
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
export interface ResolvedOptions<T = unknown> {
  ttl: number | undefined;
  tags: readonly string[];
  resultTags: ((value: T) => unknown) | undefined;
  unless: ((value: T) => boolean) | undefined;
}

const NO_OPTIONS: ResolvedOptions<any> = Object.freeze({
  ttl: undefined,
  tags: Object.freeze([]),
  resultTags: undefined,
  unless: undefined,
});

/** Validates any accepted options value; throws `E_INVALID_OPTION` naming the bad field. */
export function resolveOptions<T>(input: LoadOptionsInput<T>): ResolvedOptions<T> {
  if (input === undefined || input === null) return NO_OPTIONS;
  if (input instanceof CacheOptions) {
    return { ttl: input.ttlMs, tags: input.tagList, resultTags: undefined, unless: undefined };
  }
  if (typeof input !== 'object') {
    throw CacheErrors.invalidOption(
      'options',
      'a CacheOptions, a plain object or undefined',
      input,
    );
  }
  const init = input as LoadOptionsInit<T>;
  return {
    ttl: init.ttl === undefined ? undefined : checkTtl(init.ttl, 'ttl'),
    tags: init.tags === undefined ? NO_OPTIONS.tags : tagList(init.tags),
    resultTags: checkFunction(init.resultTags, 'resultTags'),
    unless: checkFunction(init.unless, 'unless'),
  };
}

/**
 * Validates options like {@link resolveOptions} but, for the common shapes (undefined, a
 * CacheOptions, a plain object with an array of tags), without building anything: returns
 * undefined, and the caller resolves them later only if it needs them (the cache-hit path never
 * does). Anything else is resolved at once and returned, so a one-shot iterable is read only once.
 */
export function precheckOptions<T>(input: LoadOptionsInput<T>): ResolvedOptions<T> | undefined {
  if (input === undefined || input === null || input instanceof CacheOptions) return undefined;
  if (typeof input === 'object') {
    const { ttl, tags, resultTags, unless } = input as LoadOptionsInit<T>;
    if (
      (ttl === undefined || (typeof ttl === 'number' && ttl > 0)) &&
      (tags === undefined || typeof tags === 'string' || isStringArray(tags)) &&
      (resultTags === undefined || typeof resultTags === 'function') &&
      (unless === undefined || typeof unless === 'function')
    ) {
      return undefined;
    }
  }
  return resolveOptions(input);
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

/** Throws `E_INVALID_OPTION` naming `field` unless `fn` is undefined or a function. */
export function checkFunction<F>(fn: F | undefined, field: string): F | undefined {
  if (fn !== undefined && typeof fn !== 'function') {
    throw CacheErrors.invalidOption(field, 'a function', fn);
  }
  return fn;
}
