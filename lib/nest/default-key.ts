import { escapeSegment } from '../core/cache-key.js';
import { canonicalArgument, UnkeyableValue } from './canonical-argument.js';
import { NestCacheErrors } from './nest.errors.js';
import type { ClassRef, MethodSite } from './method-site.js';

/**
 * The key `@Cached` uses when none is given: `Class:method:(args)`, each argument written by
 * {@link canonicalArgument}, so equal arguments give equal keys and different ones different keys.
 * An argument it cannot key is refused with `E_UNKEYABLE_ARGUMENT` naming where it is. `prefix`
 * is the decorator's namespace (with its colon), which scopes class-name claims.
 */
export function defaultKey(
  cache: object,
  prefix: string,
  site: MethodSite,
  args: readonly unknown[],
): string {
  const names = namesOf(cache);
  claim(names.methods, prefix + site.className, site.owner, () =>
    NestCacheErrors.defaultKeyClash(site.label),
  );
  const parts = args.map((arg, index) => {
    try {
      return canonicalArgument(arg, (cls, path) =>
        claim(names.args, cls.name, cls, () =>
          NestCacheErrors.argumentClassClash(site.label, index, path, cls.name),
        ),
      );
    } catch (error) {
      if (!(error instanceof UnkeyableValue)) throw error;
      throw NestCacheErrors.unkeyableArgument(
        site.label,
        index,
        error.path,
        error.what,
        error.cause,
      );
    }
  });
  return `${prefix}${escapeSegment(site.className)}:${escapeSegment(site.methodName)}:${escapeSegment(`(${parts.join(',')})`)}`;
}

/** Per cache, the class that owns each name seen in default keys, as method class or argument. */
interface ClassNames {
  readonly methods: Map<string, ClassRef>;
  readonly args: Map<string, ClassRef>;
}

const namesByCache = new WeakMap<object, ClassNames>();

function namesOf(cache: object): ClassNames {
  let names = namesByCache.get(cache);
  if (names === undefined) {
    names = { methods: new Map(), args: new Map() };
    namesByCache.set(cache, names);
  }
  return names;
}

/**
 * Refuses a second class with the same name in one cache's default keys: both would build the
 * same keys, so one would silently read the other's entries. The first class to use the name
 * keeps it; later calls involving the other reject with `E_DEFAULT_KEY_CLASH`. The maps hold one
 * entry per name, and go when the cache does.
 */
function claim(
  owners: Map<string, ClassRef>,
  name: string,
  cls: ClassRef,
  clash: () => Error,
): void {
  const owner = owners.get(name);
  if (owner === undefined) owners.set(name, cls);
  else if (owner !== cls) throw clash();
}
