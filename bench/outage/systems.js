import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { HydraCache } from '../../dist/index.js';

/**
 * The systems compared, each reading through the same kind of database. Resilience settings are
 * matched: TTL `ttl`, grace 10 min, the loader rests `backoff` ms after a failure was covered by a
 * stale value, no soft timeout (stale-while-revalidate), and for the hang case a hard timeout.
 * @typedef {{ ttl: number, backoff: number, hardTimeout: number | undefined, capacity: number }} Settings
 * @typedef {{ read(key: string): Promise<unknown>, close(): Promise<void> }} System
 */

const GRACE = 600_000;

/** @type {{ id: string, how: string, create(load: (key: string) => Promise<unknown>, s: Settings): System }[]} */
export const SYSTEMS = [
  {
    id: 'HydraCache',
    how: 'getOrLoad, grace + fail-safe (failSafeBackoff) + hardTimeout',
    create(load, { ttl, backoff, hardTimeout, capacity }) {
      const cache = new HydraCache({
        defaultTtl: ttl,
        maxCapacity: capacity,
        grace: GRACE,
        failSafeBackoff: backoff,
        ...(hardTimeout === undefined ? {} : { hardTimeout }),
      });
      return {
        read: (key) => cache.getOrLoad(key, undefined, () => load(key)),
        close: async () => cache.flush(),
      };
    },
  },
  bento('bentocache', undefined),
  // Its backoff is applied only when a foreground factory fails: with a soft timeout the
  // factory runs in the foreground (up to the timeout) instead of purely in the background.
  bento('bentocache timeout 100', 100),
  {
    id: 'no cache',
    how: 'every request queries the database',
    create(load) {
      return { read: (key) => load(key), close: async () => {} };
    },
  },
];

/**
 * bentocache with the same settings, and soft `timeout` (ms) when given.
 * @param {string} id
 * @param {number | undefined} timeout
 */
function bento(id, timeout) {
  return {
    id,
    how: `getOrSet, grace + graceBackoff + hardTimeout${timeout === undefined ? '' : ` + timeout ${timeout} ms`} (memory L1)`,
    /** @param {(key: string) => Promise<unknown>} load @param {Settings} settings @returns {System} */
    create(load, { ttl, backoff, hardTimeout, capacity }) {
      const cache = new BentoCache({
        default: 'memory',
        stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: capacity })) },
        grace: GRACE,
        graceBackoff: backoff,
        ...(timeout === undefined ? {} : { timeout }),
        ...(hardTimeout === undefined ? {} : { hardTimeout }),
      });
      return {
        read: (key) => cache.getOrSet({ key, ttl, factory: () => load(key) }),
        close: async () => {
          await cache.clear();
          await cache.disconnectAll();
        },
      };
    },
  };
}
