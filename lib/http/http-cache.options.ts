import { CacheErrors } from '../core/cache.errors.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';

/**
 * Application-wide response-cache options, given to `HydraCacheHttpModule.forRoot()`. A route's
 * `@CacheRoute` options add to them (`privateHeaders`, `vary`) or override them (`varyByHost`).
 */
export interface HttpCacheOptions {
  /**
   * Key responses by the request's `Host` too. Turn off only when every host serves the same
   * content (one site, several aliases). Default: true.
   */
  varyByHost?: boolean;
  /**
   * Request headers that identify a caller, besides `authorization`, `cookie` and `x-api-key`: a
   * request carrying one is served uncached unless the route declares how it varies (its `key`,
   * or the header in `vary`). Default: none.
   */
  privateHeaders?: readonly string[];
  /** Request headers every cached route is keyed by, sent back in `Vary`. Default: none. */
  vary?: readonly string[];
}

/** Injection token of the {@link HttpCacheOptions} (provided by `HydraCacheHttpModule`). */
export const HTTP_CACHE_OPTIONS = Symbol.for('hydracache:http-cache-options');

/** A boolean option, or `E_INVALID_OPTION`. */
export function checkBoolean(flag: unknown, field: string): boolean {
  if (typeof flag !== 'boolean') throw CacheErrors.invalidOption(field, 'a boolean', flag);
  return flag;
}

/** Header names, lower-cased (Node's request headers are), or `E_INVALID_OPTION`. */
export function checkHeaderNames(names: unknown, field: string): readonly string[] {
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && /^[\w-]+$/.test(n))) {
    throw CacheErrors.invalidOption(field, 'an array of header names', names);
  }
  return (names as string[]).map((name) => name.toLowerCase());
}

const HTTP_FIELDS: FieldTable<HttpCacheOptions> = {
  varyByHost: checkBoolean,
  privateHeaders: checkHeaderNames,
  vary: checkHeaderNames,
};

/** Checks module-wide options; a bad one throws `E_INVALID_OPTION` naming the field. */
export function readHttpCacheOptions(options: unknown): Readonly<HttpCacheOptions> {
  const checked = readOptions(options ?? {}, 'HydraCacheHttpModule options', HTTP_FIELDS);
  return Object.freeze(checked);
}
