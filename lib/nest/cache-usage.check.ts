import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { cacheNamesOf, injectedCache } from './cache-injection.js';
import type { ClassRef } from './method-site.js';
import { NestCacheErrors } from './nest.errors.js';

/**
 * Fails the bootstrap with `E_NO_CACHE` when a provider or controller uses a cache (the default or
 * a named one) that Nest could not inject into it: an unregistered name, a typo, or a module
 * without the import. Without this, the optional property injection would leave the gap to the
 * first call. Request-scoped and factory-built instances do not exist yet or get no property
 * injection; their calls still reject with `E_NO_CACHE`.
 */
@Injectable()
export class CacheUsageCheck implements OnModuleInit {
  constructor(private readonly discovery: DiscoveryService) {}

  /** Runs the check once the application's static instances exist. */
  onModuleInit(): void {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const cls = builtClass(wrapper);
      if (cls === undefined) continue;
      for (const name of cacheNamesOf(cls)) {
        if (injectedCache(wrapper.instance, name) === undefined) {
          throw NestCacheErrors.missingCache(cls.name, name);
        }
      }
    }
  }
}

/** The class of a static instance Nest built itself (so it received property injection). */
function builtClass(wrapper: InstanceWrapper): ClassRef | undefined {
  const { instance, metatype } = wrapper;
  if (typeof metatype !== 'function' || wrapper.inject) return undefined;
  if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) return undefined;
  if (instance === null || typeof instance !== 'object') return undefined;
  return (instance as object).constructor === metatype ? (metatype as ClassRef) : undefined;
}
