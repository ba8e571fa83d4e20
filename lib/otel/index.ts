/**
 * `@hydracache/nestjs/otel`: OpenTelemetry metrics and load spans for HydraCache. A separate
 * entry point so that apps without OpenTelemetry never load `@opentelemetry/api` (an optional
 * peer dependency). Metric names, units and attributes: docs/monitoring.md.
 */
export { HydraCacheInstrumentation } from './hydra-cache.instrumentation.js';
export type { HydraCacheInstrumentationOptions } from './instrumentation.options.js';
export { HydraCacheOtelModule } from './hydra-cache-otel.module.js';
export type { HydraCacheOtelAsyncOptions } from './hydra-cache-otel.module.js';
export {
  ATTRIBUTES,
  INSTRUMENTATION_SCOPE,
  LOAD_DURATION_BUCKETS,
  LOAD_SPAN_NAME,
  METRICS,
} from './otel-names.js';
