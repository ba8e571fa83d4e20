import { escapeSegment } from '../core/cache-key.js';
import { NestCacheErrors } from './nest.errors.js';
import type { ClassRef, MethodSite } from './method-site.js';

/**
 * The key `@Cached` uses when none is given: `Class:method:(args)`, where args are written in a
 * canonical form (object keys sorted, Dates as ISO text), so equal arguments give equal keys.
 * Anything without an obvious value identity (functions, class instances such as a request,
 * symbols, circular structures) is refused with `E_UNKEYABLE_ARGUMENT` rather than guessed at.
 */
export function defaultKey(site: MethodSite, args: readonly unknown[]): string {
  const parts = args.map((arg, index) => canonical(arg, { site, index, path: '', seen: [] }));
  return `${escapeSegment(site.className)}:${escapeSegment(site.methodName)}:${escapeSegment(`(${parts.join(',')})`)}`;
}

/** Per cache, the class that owns each (namespace-prefixed) class name seen in default keys. */
const ownersByCache = new WeakMap<object, Map<string, ClassRef>>();

/**
 * Refuses a second class with the same name in one cache's default keys: both would build the
 * same keys, so one class's method would silently answer with the other's results. The first
 * class to use the name keeps it; the other's calls reject with `E_DEFAULT_KEY_CLASH`. The map
 * holds one entry per decorated class, and goes when the cache does.
 */
export function claimClassName(cache: object, prefix: string, site: MethodSite): void {
  let owners = ownersByCache.get(cache);
  if (owners === undefined) {
    owners = new Map();
    ownersByCache.set(cache, owners);
  }
  const name = prefix + site.className;
  const owner = owners.get(name);
  if (owner === undefined) owners.set(name, site.owner);
  else if (owner !== site.owner) throw NestCacheErrors.defaultKeyClash(site.label);
}

interface Walk {
  site: MethodSite;
  index: number;
  path: string;
  seen: object[];
}

function canonical(value: unknown, walk: Walk): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'object':
      return value === null ? 'null' : canonicalObject(value, walk);
    default:
      throw NestCacheErrors.unkeyableArgument(walk.site.label, walk.index, walk.path, value);
  }
}

function canonicalObject(value: object, walk: Walk): string {
  const fail = () =>
    NestCacheErrors.unkeyableArgument(walk.site.label, walk.index, walk.path, value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw fail();
    return `Date(${value.toISOString()})`;
  }
  if (walk.seen.includes(value)) throw fail();
  const seen = [...walk.seen, value];
  if (Array.isArray(value)) {
    const items = value.map((item, i) =>
      canonical(item, { ...walk, path: `${walk.path}[${i}]`, seen }),
    );
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw fail();
  const fields = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => {
      const field = (value as Record<string, unknown>)[k];
      return `${JSON.stringify(k)}:${canonical(field, { ...walk, path: `${walk.path}.${k}`, seen })}`;
    });
  return `{${fields.join(',')}}`;
}
