import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { CacheErrors } from '../core/cache.errors.js';
import { readOptions, type FieldTable } from '../core/option-fields.js';

/** Options of {@link HydraCacheInstrumentation}; every field is optional. */
export interface HydraCacheInstrumentationOptions {
  /** Where metrics go. Default: the global meter provider (the one your OpenTelemetry SDK registered). */
  meterProvider?: MeterProvider;
  /** Where load spans go. Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /** Record metrics. Default: true. */
  metrics?: boolean;
  /** Record a span per loader run. Default: true. */
  tracing?: boolean;
  /** Put the key's namespace on metrics as `cache.namespace`. Default: true (turn off if key prefixes are not a small fixed set). */
  namespaceAttribute?: boolean;
  /**
   * Opt-in `cache.key` attribute on spans and metrics: called with each key, returns the text to
   * record (e.g. `user:{id}` for `user:42`) or undefined for none. Default: none, since raw keys
   * are unbounded cardinality and may hold personal data.
   */
  keyAttribute?: (key: string) => string | undefined;
  /** Record only caches with these `name` settings. Default: every cache in the process. */
  cacheNames?: readonly string[];
}

/** Options with defaults filled in. */
export interface ResolvedInstrumentationOptions {
  readonly meterProvider: MeterProvider | undefined;
  readonly tracerProvider: TracerProvider | undefined;
  readonly metrics: boolean;
  readonly tracing: boolean;
  readonly namespaceAttribute: boolean;
  readonly keyAttribute: ((key: string) => string | undefined) | undefined;
  readonly cacheNames: ReadonlySet<string> | undefined;
}

const OPTION_FIELDS: FieldTable<HydraCacheInstrumentationOptions> = {
  meterProvider: (value, field) => checkProvider(value, field, 'getMeter') as MeterProvider,
  tracerProvider: (value, field) => checkProvider(value, field, 'getTracer') as TracerProvider,
  metrics: checkBoolean,
  tracing: checkBoolean,
  namespaceAttribute: checkBoolean,
  keyAttribute: (value, field) => {
    if (typeof value !== 'function') throw CacheErrors.invalidOption(field, 'a function', value);
    return value as (key: string) => string | undefined;
  },
  cacheNames: (value, field) => {
    if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) {
      throw CacheErrors.invalidOption(field, 'an array of cache names', value);
    }
    return value as string[];
  },
};

/** Validates the options; throws `E_INVALID_OPTION` naming the bad field. */
export function resolveInstrumentationOptions(options: unknown): ResolvedInstrumentationOptions {
  const given = readOptions(options ?? {}, 'instrumentation options', OPTION_FIELDS);
  return {
    meterProvider: given.meterProvider,
    tracerProvider: given.tracerProvider,
    metrics: given.metrics ?? true,
    tracing: given.tracing ?? true,
    namespaceAttribute: given.namespaceAttribute ?? true,
    keyAttribute: given.keyAttribute,
    cacheNames: given.cacheNames === undefined ? undefined : new Set(given.cacheNames),
  };
}

function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw CacheErrors.invalidOption(field, 'true or false', value);
  return value;
}

function checkProvider(value: unknown, field: string, method: string): unknown {
  if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') {
    throw CacheErrors.invalidOption(field, `an object with ${method}()`, value);
  }
  return value;
}
