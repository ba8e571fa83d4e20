import type { ApplicationConfig } from '@nestjs/core';

/** Where `@UseInterceptors` records its interceptors (the same key in Nest 10 to 12). */
const INTERCEPTORS_METADATA = '__interceptors__';

/**
 * Whether `self` is the first interceptor Nest runs for a route, so that no other interceptor
 * sees (or changes) the body after it. Nest runs the global interceptors first
 * (`useGlobalInterceptors`, `APP_INTERCEPTOR`, request-scoped ones last), then the controller's
 * `@UseInterceptors`, then the route's. Without the application config the answer is false: the
 * slower, always-correct choice.
 */
export function isOutermostInterceptor(
  self: object,
  controller: object,
  handler: object,
  config: ApplicationConfig | undefined,
): boolean {
  if (config === undefined) return false;
  const first: unknown =
    config.getGlobalInterceptors()[0] ??
    config.getGlobalRequestInterceptors()[0] ??
    firstOf(Reflect.getMetadata(INTERCEPTORS_METADATA, controller)) ??
    firstOf(Reflect.getMetadata(INTERCEPTORS_METADATA, handler));
  return first === self || first === self.constructor;
}

function firstOf(list: unknown): unknown {
  return Array.isArray(list) ? list[0] : undefined;
}
