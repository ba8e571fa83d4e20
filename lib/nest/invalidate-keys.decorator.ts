import type { HydraCache } from '../core/hydra-cache.js';
import { checkOptionFields } from '../core/option-fields.js';
import { keyValueList, type FromArgs, type KeyValue } from './decorator-values.js';
import {
  cacheChoice,
  invalidateAfter,
  isOptionsForm,
  type CacheChoice,
} from './invalidate-after.js';

/** Keys as {@link InvalidateKeys} accepts them: one key or an iterable of keys. */
export type KeysValue = KeyValue | Iterable<KeyValue>;

/** Long form of {@link InvalidateKeys}: keys from the arguments and/or from the result. */
export interface InvalidateKeysOptions<A extends unknown[] = any[], R = any> {
  /** Keys, or a function of the method's arguments. */
  keys?: FromArgs<A, KeysValue>;
  /** Keys computed from the result, then the arguments. */
  resultKeys?: (result: R, ...args: A) => KeysValue;
  /** The name of the cache, as with the second argument. Default: the default cache. */
  cache?: string;
}

/** Every field {@link InvalidateKeysOptions} has; any other (`key`) is refused. */
const INVALIDATE_KEYS_FIELDS = ['keys', 'resultKeys', 'cache'] as const;

/**
 * Invalidates full cache keys (namespace included) after the decorated async method succeeds;
 * when it throws, nothing is invalidated. Accepts keys, a function of the arguments, or
 * `{ keys, resultKeys }`; the optional second argument names the cache (`{ cache: 'sessions' }`).
 */
export function InvalidateKeys<A extends unknown[] = any[], R = any>(
  spec: FromArgs<A, KeysValue> | InvalidateKeysOptions<A, R>,
  choice?: CacheChoice,
) {
  const options: InvalidateKeysOptions<A, R> = isOptionsForm(spec)
    ? checkOptionFields<InvalidateKeysOptions<A, R>>(
        spec,
        '@InvalidateKeys',
        INVALIDATE_KEYS_FIELDS,
      )
    : { keys: spec as FromArgs<A, KeysValue> };
  return invalidateAfter<A, R, KeysValue>(
    {
      before: options.keys,
      after: options.resultKeys,
      cache: cacheChoice(choice, 'InvalidateKeys') ?? options.cache,
    },
    {
      decorator: 'InvalidateKeys',
      normalize: keyValueList,
      invalidate: (cache, keys) => invalidateEach(cache, keys),
    },
  );
}

async function invalidateEach(cache: HydraCache, keys: string[]): Promise<void> {
  for (const key of keys) await cache.invalidateKey(key);
}
