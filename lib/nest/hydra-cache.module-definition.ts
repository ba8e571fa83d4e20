import { ConfigurableModuleBuilder } from '@nestjs/common';
import type {
  HydraCacheModuleExtras,
  HydraCacheModuleOptions,
} from './hydra-cache-module.options.js';

/** The generated module base class and the token under which the module options are provided. */
export const {
  ConfigurableModuleClass: ConfigurableHydraCacheModule,
  MODULE_OPTIONS_TOKEN: HYDRA_CACHE_MODULE_OPTIONS,
  OPTIONS_TYPE: HYDRA_CACHE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HYDRA_CACHE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HydraCacheModuleOptions>({ moduleName: 'HydraCache' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHydraCacheOptions')
  .setExtras<HydraCacheModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
