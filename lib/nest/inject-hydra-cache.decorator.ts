import { Inject } from '@nestjs/common';
import { getHydraCacheToken } from './cache-tokens.js';

/**
 * Injects a cache: `@InjectHydraCache('sessions')` the one registered with
 * `HydraCacheModule.forRoot({ name: 'sessions' })`, `@InjectHydraCache()` the default one (which
 * is also injectable by its class, `HydraCache`).
 */
export function InjectHydraCache(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getHydraCacheToken(name));
}
