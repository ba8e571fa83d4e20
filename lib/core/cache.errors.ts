/** Codes the core raises. */
export type CoreCacheErrorCode =
  | 'E_ENCODE'
  | 'E_DECODE'
  | 'E_ENTRY_TOO_LARGE'
  | 'E_INVALID_OPTION'
  | 'E_INVALID_KEY'
  | 'E_REENTRANT_LOAD'
  | 'E_LOAD_TIMEOUT';

/**
 * Codes raised above the core, as keys: each layer declares its own by declaration merging, where
 * it raises them (the NestJS layer in `lib/nest/nest.errors.ts`), so the core names none of them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LayerCacheErrorCodes {}

/** Stable machine-readable codes carried by every {@link CacheError}: the core's and the layers'. */
export type CacheErrorCode = CoreCacheErrorCode | keyof LayerCacheErrorCodes;

/** The one error type HydraCache throws itself; loader errors are rethrown unchanged instead. */
export class CacheError extends Error {
  override readonly name = 'CacheError';

  constructor(
    /** Stable code to branch on; the message is for humans and may change. */
    readonly code: CacheErrorCode,
    message: string,
    options: { key?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.key = options.key;
  }

  /** The cache key the failure concerns, when there is one. */
  readonly key: string | undefined;
}

/** Message factories, kept in one place so wording stays consistent. */
export const CacheErrors = {
  invalidOption: (field: string, expected: string, actual: unknown): CacheError =>
    new CacheError(
      'E_INVALID_OPTION',
      `Invalid option "${field}": expected ${expected}, got ${describe(actual)}.`,
    ),
  unknownOption: (field: string, known: readonly string[], where?: string): CacheError =>
    new CacheError(
      'E_INVALID_OPTION',
      `Unknown option "${field}"${where === undefined ? '' : ` in ${where}`}: expected one of ${known.join(', ')}.`,
    ),
  invalidKey: (actual: unknown): CacheError =>
    new CacheError(
      'E_INVALID_KEY',
      `Invalid cache key: expected a string or a CacheKey, got ${describe(actual)}.`,
    ),
  encode: (key: string | undefined, cause: unknown): CacheError =>
    new CacheError(
      'E_ENCODE',
      `Cannot encode the value${key === undefined ? '' : ` for key "${key}"`}: ${reason(cause)}. ` +
        'Cache plain data (objects, arrays, strings, numbers, Dates, Maps, Sets); functions, symbols and circular structures cannot be stored.',
      { key, cause },
    ),
  decode: (key: string, cause: unknown): CacheError =>
    new CacheError(
      'E_DECODE',
      `Cannot decode the entry for key "${key}": ${reason(cause)}. The entry was removed.`,
      { key, cause },
    ),
  entryTooLarge: (key: string, bytes: number, max: number): CacheError =>
    new CacheError(
      'E_ENTRY_TOO_LARGE',
      `The entry for key "${key}" encodes to ${bytes} bytes, over maxEntryBytes (${max}).`,
      { key },
    ),
  reentrantLoad: (key: string): CacheError =>
    new CacheError(
      'E_REENTRANT_LOAD',
      `The loader for key "${key}" asked the cache for "${key}" before returning: it would wait on its own result. ` +
        'Call the underlying source directly inside a loader, not the cache for the same key.',
      { key },
    ),
  loadTimeout: (key: string, ms: number): CacheError =>
    new CacheError(
      'E_LOAD_TIMEOUT',
      `The loader for key "${key}" did not settle within hardTimeout (${ms} ms); no stale value within grace could stand in. ` +
        'The next call starts a fresh load; raise hardTimeout or set grace to serve the last value meanwhile.',
      { key },
    ),
  undefinedValue: (key: string): CacheError =>
    new CacheError(
      'E_INVALID_OPTION',
      `Cannot put undefined for key "${key}": undefined means "absent" in HydraCache. Store null instead, or remove the key.`,
      { key },
    ),
};

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
  }
  return typeof value;
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
