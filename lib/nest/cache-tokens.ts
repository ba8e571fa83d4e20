import type { HydraCache } from '../core/hydra-cache.js';
import { CacheErrors } from '../core/cache.errors.js';

/**
 * The injection token of a cache: `Symbol.for('hydracache:cache')` for the default one,
 * `Symbol.for('hydracache:cache:<name>')` for a named one. Registered symbols, so that two copies
 * of the library (the ESM and the CJS build in one app) agree on them.
 */
export function getHydraCacheToken(name?: string): symbol {
  return Symbol.for(name === undefined ? 'hydracache:cache' : `hydracache:cache:${name}`);
}

/** The instance property a decorated class receives the cache `name` in. */
export function cacheProperty(name: string | undefined): symbol {
  return Symbol.for(name === undefined ? 'hydracache:property' : `hydracache:property:${name}`);
}

const BRAND = Symbol.for('hydracache:HydraCache');

/** True for a HydraCache from any copy of the library, where `instanceof` sees only its own. */
export function isHydraCache(value: unknown): value is HydraCache {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/** How messages name a cache: `the default cache` or `the cache "sessions"`. */
export function cacheLabel(name: string | undefined): string {
  return name === undefined ? 'the default cache' : `the cache "${name}"`;
}

/** Checks a cache name given to a module or a decorator: undefined or a non-empty string. */
export function checkCacheName(name: unknown, field: string): string | undefined {
  if (name === undefined || (typeof name === 'string' && name.length > 0)) return name;
  throw CacheErrors.invalidOption(field, 'a non-empty string', name);
}
