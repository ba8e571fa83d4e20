import { Module, type DynamicModule } from '@nestjs/common';
import {
  HTTP_CACHE_OPTIONS,
  readHttpCacheOptions,
  type HttpCacheOptions,
} from './http-cache.options.js';

/**
 * Optional: application-wide options of `HydraCacheInterceptor` (hosts, private and vary
 * headers). Global, so every interceptor instance of the application reads them.
 */
@Module({})
export class HydraCacheHttpModule {
  /** Provides `options` to every `HydraCacheInterceptor`; bad ones throw `E_INVALID_OPTION`. */
  static forRoot(options: HttpCacheOptions = {}): DynamicModule {
    return {
      module: HydraCacheHttpModule,
      global: true,
      providers: [{ provide: HTTP_CACHE_OPTIONS, useValue: readHttpCacheOptions(options) }],
      exports: [HTTP_CACHE_OPTIONS],
    };
  }
}
