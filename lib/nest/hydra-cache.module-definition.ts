import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { HydraCache } from '../core/hydra-cache.js';
import type {
  HydraCacheModuleExtras,
  HydraCacheModuleOptions,
} from './hydra-cache-module.options.js';
import { checkCacheName, getHydraCacheToken } from './cache-tokens.js';

/** Module-local token of the cache one module instance builds (and closes on shutdown). */
export const MODULE_CACHE = Symbol('hydracache:module-cache');

/** Module-local token of the registered cache name (null for the default cache). */
export const MODULE_CACHE_NAME = Symbol('hydracache:module-cache-name');

/** The generated module base class and the token under which the module options are provided. */
export const {
  ConfigurableModuleClass: ConfigurableHydraCacheModule,
  MODULE_OPTIONS_TOKEN: HYDRA_CACHE_MODULE_OPTIONS,
  OPTIONS_TYPE: HYDRA_CACHE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HYDRA_CACHE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HydraCacheModuleOptions>({ moduleName: 'HydraCache' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHydraCacheOptions')
  .setExtras<HydraCacheModuleExtras>({ isGlobal: true, name: undefined }, (definition, extras) => {
    // The default cache is also injectable by class; a named one only by its token.
    const name = checkCacheName(extras.name, 'name');
    const tokens: (symbol | typeof HydraCache)[] = [getHydraCacheToken(name)];
    if (name === undefined) tokens.push(HydraCache);
    const aliases: Provider[] = tokens.map((provide) => ({
      provide,
      useExisting: MODULE_CACHE,
    }));
    // The registered name is also the cache's own `name` (what its metrics and events carry).
    const nameProvider: Provider = { provide: MODULE_CACHE_NAME, useValue: name ?? null };
    return {
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...aliases, nameProvider],
      exports: [...(definition.exports ?? []), ...tokens],
    };
  })
  .build();
