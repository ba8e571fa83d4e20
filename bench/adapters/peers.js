import { createCache } from 'cache-manager';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { createCache as createDedupeCache } from 'async-cache-dedupe';
import { LRUCache } from 'lru-cache';

/** @typedef {import('./types.js').Adapter} Adapter */

/** cache-manager v7 with its default in-memory store (Keyv over a Map). No tags. */
/** @type {Adapter} */
export const cacheManager = {
  id: 'cache-manager',
  label: 'cache-manager wrap',
  how: 'cache.wrap(key, () => load(key), ttl)',
  async create({ ttl, load }) {
    const cache = createCache({ ttl });
    return {
      getOrLoad: (key) => cache.wrap(key, () => load(key), ttl),
      invalidateTag: undefined,
      close: async () => {
        await cache.clear();
        await cache.disconnect();
      },
    };
  },
};

/** bentocache with its memory driver (L1 only; serializes entries as JSON by default). */
/** @type {Adapter} */
export const bentocache = {
  id: 'bentocache',
  label: 'bentocache getOrSet',
  how: 'bento.getOrSet({ key, factory: () => load(key), ttl })',
  async create({ capacity, ttl, load }) {
    const bento = new BentoCache({
      default: 'memory',
      stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: capacity })) },
    });
    return {
      getOrLoad: (key, tags) =>
        bento.getOrSet({ key, factory: () => load(key), ttl, ...(tags ? { tags } : {}) }),
      invalidateTag: (tag) => bento.deleteByTag({ tags: [tag] }),
      close: async () => {
        await bento.clear();
        await bento.disconnectAll();
      },
    };
  },
};

/** async-cache-dedupe, memory storage with reference invalidation. TTL is whole seconds. */
/** @type {Adapter} */
export const asyncCacheDedupe = {
  id: 'async-cache-dedupe',
  label: 'async-cache-dedupe',
  how: 'cache.load(key) (a defined function)',
  async create({ capacity, ttl, load }) {
    /** @type {Map<string, string[]>} tags of keys being loaded (references are per call there) */
    const pendingTags = new Map();
    const cache = createDedupeCache({
      ttl: Math.max(1, Math.round(ttl / 1000)),
      storage: { type: 'memory', options: { size: capacity, invalidation: true } },
    });
    cache.define(
      'load',
      { references: (key) => pendingTags.get(key) ?? null },
      (/** @type {string} */ key) => load(key),
    );
    const defined = /** @type {any} */ (cache).load;
    return {
      getOrLoad(key, tags) {
        if (tags === undefined) return defined(key);
        pendingTags.set(key, tags);
        return defined(key).finally(() => pendingTags.delete(key));
      },
      invalidateTag: (tag) => cache.invalidateAll([tag]),
      // No cache.clear(): with references it is quadratic in the entries (minutes for 100 000);
      // dropping the instance frees the same memory.
      close: async () => pendingTags.clear(),
    };
  },
};

/** lru-cache `fetch` with a fetchMethod: values by reference, no tags. */
/** @type {Adapter} */
export const lruCache = {
  id: 'lru-cache',
  label: 'lru-cache fetch',
  how: 'lru.fetch(key) (fetchMethod calls load)',
  async create({ capacity, ttl, load }) {
    const lru = new LRUCache({ max: capacity, ttl, fetchMethod: (key) => load(key) });
    return {
      getOrLoad: (key) => lru.fetch(key),
      invalidateTag: undefined,
      close: async () => lru.clear(),
    };
  },
};
