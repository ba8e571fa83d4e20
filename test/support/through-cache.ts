import { HydraCache } from '../../lib/index.js';
import { deferred } from './deferred.js';

/**
 * Every way a caller gets a value back from a default cache, for one stored value: two `put`/`get`
 * reads (decoded from the entry) and four `getOrLoad` callers sharing one load (the loader's own
 * caller decodes; joiners get copies of a decoded template when it is plain data, or decode too).
 */
export async function copiesThroughCache(make: () => unknown): Promise<unknown[]> {
  const cache = HydraCache.local().build();
  await cache.put('put', make());
  const reads = [await cache.get('put'), await cache.get('put')];
  const gate = deferred<unknown>();
  const callers = Array.from({ length: 4 }, () =>
    cache.getOrLoad('load', undefined, () => gate.promise),
  );
  gate.resolve(make());
  const loaded = await Promise.all(callers);
  return [...reads, ...loaded, await cache.get('load')];
}
