import {
  Inject,
  Module,
  Optional,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HydraCache } from '../core/hydra-cache.js';
import { HydraCacheInstrumentation } from './hydra-cache.instrumentation.js';
import type { HydraCacheInstrumentationOptions } from './instrumentation.options.js';

/** Options of {@link HydraCacheOtelModule.forRootAsync}. */
export interface HydraCacheOtelAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Returns the instrumentation options, possibly asynchronously. */
  useFactory: (
    ...args: any[]
  ) => HydraCacheInstrumentationOptions | Promise<HydraCacheInstrumentationOptions>;
  /** Providers whose values `useFactory` receives, in order. Default: none. */
  inject?: FactoryProvider['inject'];
}

/**
 * Turns on OpenTelemetry metrics and load spans for the application's caches: import
 * `HydraCacheOtelModule.forRoot()` next to `HydraCacheModule`. It records from bootstrap to
 * shutdown, reports the injected cache's size and capacity gauges, and provides the
 * {@link HydraCacheInstrumentation} for injection.
 */
@Module({})
export class HydraCacheOtelModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly instrumentation: HydraCacheInstrumentation,
    @Optional() @Inject(HydraCache) private readonly cache?: HydraCache,
  ) {}

  /** Records with `options` (validated at bootstrap: a bad one fails it with `E_INVALID_OPTION`). */
  static forRoot(options: HydraCacheInstrumentationOptions = {}): DynamicModule {
    return {
      module: HydraCacheOtelModule,
      providers: [
        {
          provide: HydraCacheInstrumentation,
          useFactory: () => new HydraCacheInstrumentation(options),
        },
      ],
      exports: [HydraCacheInstrumentation],
    };
  }

  /**
   * As {@link forRoot}, with options from a factory (e.g. a meter provider built in another
   * provider): `useFactory` gets the `inject` tokens, resolved in the context of `imports`.
   */
  static forRootAsync(options: HydraCacheOtelAsyncOptions): DynamicModule {
    return {
      module: HydraCacheOtelModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: HydraCacheInstrumentation,
          useFactory: async (...args: unknown[]) =>
            new HydraCacheInstrumentation(await options.useFactory(...args)),
          inject: options.inject ?? [],
        },
      ],
      exports: [HydraCacheInstrumentation],
    };
  }

  /** Starts recording and observing the cache. */
  onModuleInit(): void {
    if (this.cache !== undefined) this.instrumentation.observe(this.cache);
    this.instrumentation.enable();
  }

  /** Stops recording (ending open load spans) and observing the cache. */
  onApplicationShutdown(): void {
    this.instrumentation.disable();
    if (this.cache !== undefined) this.instrumentation.unobserve(this.cache);
  }
}
