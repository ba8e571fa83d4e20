import { Inject } from '@nestjs/common';
import { HydraCache } from '../core/hydra-cache.js';
import { NestCacheErrors } from './nest.errors.js';

/** Property under which Nest injects the cache into instances of decorated classes. */
const CACHE_PROPERTY = Symbol('hydraCache');

/** Any async method. Decorators accept only these, so the type checker rejects sync methods. */
export type AsyncMethod<A extends unknown[] = any[], R = any> = (...args: A) => Promise<R>;

/**
 * The methods a decorator whose option functions take `A` accepts: async, with parameters that
 * start with `A`. Option functions may name only the leading parameters they use, as in
 * `@InvalidateTags((id: number) => [...])` on `update(id: number, patch: Patch)`.
 */
export type DecoratableMethod<A extends unknown[], R> = AsyncMethod<[...A, ...any[]], R>;

/** A class, compared by identity only. */
export type ClassRef = abstract new (...args: never[]) => unknown;

/** Where a decorated method lives, for messages and default keys. */
export interface MethodSite {
  /** `ClassName.method`, as shown in error messages. */
  readonly label: string;
  readonly className: string;
  readonly methodName: string;
  /** The class default keys are named after (the instance's own class for inherited methods). */
  readonly owner: ClassRef;
}

/** Builds a decorated method's replacement from the original method and where it lives. */
export type MethodWrap<A extends unknown[], R> = (
  original: DecoratableMethod<A, R>,
  site: MethodSite,
) => DecoratableMethod<A, R>;

/**
 * A method decorator that replaces the method with `wrap(original)`, keeping what other decorators
 * rely on: metadata stored on the function (`@Get()`, Swagger, guards...) is copied to the
 * wrapper, and so are its name and length. It also asks Nest to inject the cache into every
 * instance of the class. Typed so that only async methods whose parameters start with `A` fit.
 */
export function methodDecorator<A extends unknown[], R>(wrap: MethodWrap<A, R>) {
  return <F extends DecoratableMethod<A, R>>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): TypedPropertyDescriptor<F> => {
    const original = descriptor.value;
    if (typeof original !== 'function') {
      throw new TypeError(
        `HydraCache decorators apply to methods; ${String(propertyKey)} is not one.`,
      );
    }
    if (typeof target === 'function') {
      // A static method: Nest injects nothing into a class, and its default keys would be
      // named after `Function`, shared by every class.
      throw new TypeError(
        `HydraCache decorators apply to instance methods; ${target.name}.${String(propertyKey)} is static.`,
      );
    }
    const owner = (target as { constructor: ClassRef }).constructor;
    const className = owner.name;
    const methodName = String(propertyKey);
    const site = { label: `${className}.${methodName}`, className, methodName, owner };
    const wrapper = wrap(original, site) as F;
    copyFunctionMetadata(original, wrapper);
    // Property injection (Nest de-duplicates it per key) reaches providers, controllers and
    // request-scoped instances alike, unlike an explorer that only sees static singletons.
    Inject(HydraCache)(target, CACHE_PROPERTY);
    return { ...descriptor, value: wrapper };
  };
}

/** The cache Nest injected into `instance`, or a rejection-ready `E_NO_CACHE` error. */
export function cacheOf(instance: unknown, site: MethodSite, decorator: string): HydraCache {
  const cache = (instance as Record<symbol, unknown> | undefined)?.[CACHE_PROPERTY];
  if (cache instanceof HydraCache) return cache;
  throw NestCacheErrors.noCache(site.label, decorator);
}

/**
 * The site as seen from `instance`: a subclass that inherits a decorated method gets its own class
 * name, so that subclasses of one base class (a generic CRUD service) do not share default keys.
 * An anonymous subclass keeps the base class's name but is still its own owner.
 */
export function siteOf(instance: unknown, site: MethodSite): MethodSite {
  const owner = (instance as { constructor?: ClassRef }).constructor;
  if (typeof owner !== 'function' || owner === site.owner) return site;
  const className = owner.name === '' ? site.className : owner.name;
  return {
    label: `${className}.${site.methodName}`,
    className,
    methodName: site.methodName,
    owner,
  };
}

/** Gives an instance built outside Nest (with `new`) the cache its decorated methods use. */
export function attachHydraCache<T extends object>(instance: T, cache: HydraCache): T {
  Object.defineProperty(instance, CACHE_PROPERTY, {
    value: cache,
    configurable: true,
    writable: true,
  });
  return instance;
}

function copyFunctionMetadata(from: object, to: object): void {
  for (const key of Reflect.getOwnMetadataKeys(from)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, from), to);
  }
  Object.defineProperty(to, 'name', { value: (from as { name: string }).name });
  Object.defineProperty(to, 'length', { value: (from as { length: number }).length });
}
