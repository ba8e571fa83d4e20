import { baseline, baselineExact, baselineShared, rawQuickLru } from './baselines.js';
import { hydraDefault, hydraNoCopy, hydraSelfContained } from './hydracache.js';
import { asyncCacheDedupe, bentocache, cacheManager, lruCache } from './peers.js';

/** Every system, baseline first; workloads pick the ones that apply. */
export const ADAPTERS = [
  baseline,
  hydraDefault,
  hydraSelfContained,
  hydraNoCopy,
  baselineShared,
  baselineExact,
  rawQuickLru,
  cacheManager,
  bentocache,
  asyncCacheDedupe,
  lruCache,
];

/** The adapter with `id`; throws for an unknown one. */
export function adapter(id) {
  const found = ADAPTERS.find((a) => a.id === id);
  if (found === undefined) throw new Error(`unknown system "${id}"`);
  return found;
}

/** The systems that support tag invalidation. */
export const TAGGED = ['baseline', 'hydra', 'hydra-nocopy', 'bentocache', 'async-cache-dedupe'];
