import { injectCache } from './cache-injection.js';
import { siteAt, type MethodSite } from './method-site.js';

/** Any async method. Decorators accept only these, so the type checker rejects sync methods. */
export type AsyncMethod<A extends unknown[] = any[], R = any> = (...args: A) => Promise<R>;

/**
 * The methods a decorator whose option functions take `A` accepts: async, with parameters that
 * start with `A`. Option functions may name only the leading parameters they use, as in
 * `@InvalidateTags((id: number) => [...])` on `update(id: number, patch: Patch)`.
 */
export type DecoratableMethod<A extends unknown[], R> = AsyncMethod<[...A, ...any[]], R>;

/** Builds a decorated method's replacement from the original method and where it lives. */
export type MethodWrap<A extends unknown[], R> = (
  original: DecoratableMethod<A, R>,
  site: MethodSite,
) => DecoratableMethod<A, R>;

/**
 * A method decorator that replaces the method with `wrap(original)`, keeping what other decorators
 * rely on: metadata stored on the function (`@Get()`, Swagger, guards...) is copied to the
 * wrapper, and so are its name and length. It also asks Nest to inject the cache `cacheName`
 * (undefined: the default one) into every instance of the class. Typed so that only async methods whose parameters start with `A` fit.
 */
export function methodDecorator<A extends unknown[], R>(
  wrap: MethodWrap<A, R>,
  cacheName: string | undefined,
) {
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
    const wrapper = wrap(original, siteAt(target, propertyKey)) as F;
    copyFunctionMetadata(original, wrapper);
    injectCache(target, cacheName);
    return { ...descriptor, value: wrapper };
  };
}

function copyFunctionMetadata(from: object, to: object): void {
  for (const key of Reflect.getOwnMetadataKeys(from)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, from), to);
  }
  Object.defineProperty(to, 'name', { value: (from as { name: string }).name });
  Object.defineProperty(to, 'length', { value: (from as { length: number }).length });
}
