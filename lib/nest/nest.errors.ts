import { CacheError, type LayerCacheErrorCodes } from '../core/cache.errors.js';
import { cacheLabel } from './cache-tokens.js';

declare module '../core/cache.errors.js' {
  /** The codes only the NestJS layer raises, added to `CacheErrorCode`. */
  interface LayerCacheErrorCodes {
    /** A decorated method has no cache: none injected, or the one it names is not registered. */
    E_NO_CACHE: true;
    /** `@Cached` without `key` got an argument it cannot turn into a key. */
    E_UNKEYABLE_ARGUMENT: true;
    /** Two classes of one name would build the same default keys in one cache. */
    E_DEFAULT_KEY_CLASH: true;
  }
}

/** The codes only the NestJS layer raises (part of `CacheErrorCode`). */
export type NestCacheErrorCode = keyof LayerCacheErrorCodes;

/** Message factories for errors raised by the NestJS layer. */
export const NestCacheErrors = {
  noCache: (method: string, decorator: string, name: string | undefined): CacheError =>
    new CacheError(
      'E_NO_CACHE',
      `${method} is decorated with @${decorator} but its instance has no HydraCache (${cacheLabel(name)}). ` +
        `Let Nest create the instance (register the class as a provider or controller in an application that imports ${moduleCall(name)}), ` +
        `or, outside Nest, attach a cache first with ${attachCall(name)}.`,
    ),
  missingCache: (className: string, name: string | undefined): CacheError =>
    new CacheError(
      'E_NO_CACHE',
      `${className} has HydraCache decorators that use ${cacheLabel(name)}, which no module registered for it in this application. ` +
        `Import ${moduleCall(name)}${name === undefined ? '' : ', or fix the name'}.`,
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

function moduleCall(name: string | undefined): string {
  return name === undefined
    ? 'HydraCacheModule.forRoot()'
    : `HydraCacheModule.forRoot({ name: '${name}' })`;
}

function attachCall(name: string | undefined): string {
  return name === undefined
    ? 'attachHydraCache(instance, cache)'
    : `attachHydraCache(instance, cache, '${name}')`;
}
