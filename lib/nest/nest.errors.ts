import { CacheError } from '../core/cache.errors.js';

/** Message factories for errors raised by the NestJS layer. */
export const NestCacheErrors = {
  noCache: (method: string, decorator: string): CacheError =>
    new CacheError(
      'E_NO_CACHE',
      `${method} is decorated with @${decorator} but its instance has no HydraCache. ` +
        'Let Nest create the instance (register the class as a provider or controller in an application that imports HydraCacheModule.forRoot()), ' +
        'or, outside Nest, attach a cache first with attachHydraCache(instance, cache).',
    ),
  unkeyableArgument: (
    method: string,
    index: number,
    path: string,
    what: string,
    cause?: unknown,
  ): CacheError =>
    new CacheError(
      'E_UNKEYABLE_ARGUMENT',
      `${method}: cannot build a default cache key from argument ${index}${path} (${what}). ` +
        'Default keys accept strings, numbers, bigints, booleans, null, undefined, Dates, arrays, plain objects ' +
        'and class instances whose own enumerable fields hold their data (DTOs). ' +
        'Pass an explicit key to @Cached, e.g. @Cached({ key: (id) => `user:${id}` }).',
      { cause },
    ),
  defaultKeyClash: (method: string): CacheError =>
    new CacheError(
      'E_DEFAULT_KEY_CLASH',
      `${method}: another class of the same name already builds default @Cached keys in this cache, ` +
        "so the two would read each other's entries. Rename one class, or give its @Cached a namespace or an explicit key.",
    ),
  argumentClassClash: (method: string, index: number, path: string, name: string): CacheError =>
    new CacheError(
      'E_DEFAULT_KEY_CLASH',
      `${method}: argument ${index}${path} is an instance of a class named ${name}, but another class of that name ` +
        'already appears in default @Cached keys of this cache, so their instances would share keys. ' +
        'Rename one class, or give @Cached an explicit key.',
    ),
};
