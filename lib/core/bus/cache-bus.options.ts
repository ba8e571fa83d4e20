import { CacheErrors } from '../cache.errors.js';
import { checkOptionFields } from '../option-fields.js';

/** Options of a {@link CacheBus}; every field is optional. */
export interface CacheBusOptions {
  /**
   * Longest a `publish` waits for the transport to accept a message, in milliseconds (>= 0). The
   * caller's write settles then anyway and the message is retried in the background. Default: 250.
   */
  publishTimeout?: number;
  /**
   * Most keys plus tags the retry queue holds while publishing fails (positive integer); beyond it
   * the queue collapses into a single "flush everything" sent once the bus recovers. Default: 1000.
   */
  maxRetryItems?: number;
  /**
   * How long the cache keeps serving local data while the bus is disconnected, in milliseconds
   * (> 0, finite). While disconnected every write's TTL is capped at it, and once an outage has
   * lasted this long the local cache is flushed. Default: 10 000.
   */
  disconnectedTtl?: number;
  /**
   * Receives warnings worth an operator's attention (transport trouble, malformed or foreign
   * messages, publishes failing); each kind is reported once, not per message.
   * Default: `console.warn`.
   */
  onWarn?: (message: string, cause?: unknown) => void;
}

/** Default bus options, as documented on {@link CacheBusOptions}. */
export const DEFAULT_BUS_OPTIONS = Object.freeze({
  publishTimeout: 250,
  maxRetryItems: 1000,
  disconnectedTtl: 10_000,
});

const BUS_OPTION_NAMES = ['publishTimeout', 'maxRetryItems', 'disconnectedTtl', 'onWarn'];

/** Validates bus options and fills in defaults; throws `E_INVALID_OPTION` naming the bad field. */
export function resolveBusOptions(options: unknown = {}): Required<CacheBusOptions> {
  const { publishTimeout, maxRetryItems, disconnectedTtl, onWarn } =
    checkOptionFields<CacheBusOptions>(options, 'busOptions', BUS_OPTION_NAMES);
  return {
    publishTimeout: check(publishTimeout ?? DEFAULT_BUS_OPTIONS.publishTimeout, 'publishTimeout', {
      zero: true,
    }),
    maxRetryItems: checkCount(maxRetryItems ?? DEFAULT_BUS_OPTIONS.maxRetryItems),
    disconnectedTtl: check(
      disconnectedTtl ?? DEFAULT_BUS_OPTIONS.disconnectedTtl,
      'disconnectedTtl',
      { zero: false },
    ),
    onWarn: onWarn === undefined ? defaultWarn : checkFunction(onWarn),
  };
}

/** The longest timer delay Node honours (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function check(value: unknown, field: string, { zero }: { zero: boolean }): number {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && value <= MAX_TIMER_MS && value >= 0;
  if (!ok || (!zero && value === 0)) {
    throw CacheErrors.invalidOption(
      field,
      `a number of milliseconds ${zero ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MS}`,
      value,
    );
  }
  return value;
}

function checkCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw CacheErrors.invalidOption('maxRetryItems', 'a positive safe integer', value);
  }
  return value;
}

function checkFunction(fn: unknown): (message: string, cause?: unknown) => void {
  if (typeof fn !== 'function') throw CacheErrors.invalidOption('onWarn', 'a function', fn);
  return fn as (message: string, cause?: unknown) => void;
}

function defaultWarn(message: string, cause?: unknown): void {
  if (cause === undefined) console.warn(`[hydracache bus] ${message}`);
  else console.warn(`[hydracache bus] ${message}`, cause);
}
