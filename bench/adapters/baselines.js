import QuickLRU from 'quick-lru';
import { Encoder } from 'cbor-x';

/** @typedef {import('./types.js').Adapter} Adapter */

/**
 * The bare get-or-load a user would write by hand: quick-lru, an optional codec, a single-flight
 * map and a minimal tag map (never pruned on eviction; capacities in these workloads avoid it).
 * With `exactIndex`, invalidating a tag also removes each key from its other tags, as HydraCache
 * does; without it those keys stay in the other tags' sets for good (the index leaks).
 * @param {{ encode(v: unknown): unknown, decode(b: any): unknown } | null} codec
 */
function bare(codec, capacity, load, exactIndex = false) {
  const lru = new QuickLRU({ maxSize: capacity });
  /** @type {Map<string, Promise<unknown>>} */
  const flights = new Map();
  /** @type {Map<string, Set<string>>} */
  const byTag = new Map();
  /** @type {Map<string, string[]>} each key's tags, kept only with `exactIndex` */
  const tagsOf = new Map();
  const encode = codec === null ? (v) => v : (v) => codec.encode(v);
  const decode = codec === null ? (b) => b : (b) => codec.decode(b);
  const fill = async (key, tags) => {
    try {
      const data = encode(await load(key));
      lru.set(key, data);
      if (tags !== undefined) {
        if (exactIndex) tagsOf.set(key, tags);
        for (const tag of tags) {
          let set = byTag.get(tag);
          if (set === undefined) byTag.set(tag, (set = new Set()));
          set.add(key);
        }
      }
      return data;
    } finally {
      flights.delete(key);
    }
  };
  return {
    async getOrLoad(key, tags) {
      const hit = lru.get(key);
      if (hit !== undefined) return decode(hit);
      let flight = flights.get(key);
      if (flight === undefined) flights.set(key, (flight = fill(key, tags)));
      return decode(await flight);
    },
    async invalidateTag(tag) {
      const set = byTag.get(tag);
      if (set === undefined) return;
      byTag.delete(tag);
      for (const key of set) {
        lru.delete(key);
        if (!exactIndex) continue;
        for (const other of /** @type {string[]} */ (tagsOf.get(key))) {
          const keys = byTag.get(other);
          if (keys === undefined) continue;
          keys.delete(key);
          if (keys.size === 0) byTag.delete(other);
        }
        tagsOf.delete(key);
      }
    },
    async close() {
      lru.clear();
    },
  };
}

/** The baseline of every ratio: quick-lru + cbor-x (`new Encoder()`, its default configuration). */
export const baseline = {
  id: 'baseline',
  label: 'quick-lru + cbor-x (baseline)',
  how: 'hand-written get-or-load, single-flight map',
  async create({ capacity, load }) {
    return bare(new Encoder(), capacity, load);
  },
};

/** Reference only: the same with cbor-x shared record structures. */
export const baselineShared = {
  id: 'baseline-shared',
  label: 'quick-lru + cbor-x, shared structures',
  how: 'as the baseline, with new Encoder({ structures: [] })',
  async create({ capacity, load }) {
    return bare(new Encoder({ structures: [] }), capacity, load);
  },
};

/** Reference only: the baseline with an exact tag index (what not leaking keys costs). */
export const baselineExact = {
  id: 'baseline-exact',
  label: 'quick-lru + cbor-x, exact tag index',
  how: 'as the baseline; invalidating a tag also removes its keys from their other tags',
  async create({ capacity, load }) {
    return bare(new Encoder(), capacity, load, true);
  },
};

/** Raw quick-lru without a codec: values by reference, no copies. */
export const rawQuickLru = {
  id: 'quick-lru',
  label: 'quick-lru, no codec',
  how: 'hand-written get-or-load, single-flight map',
  async create({ capacity, load }) {
    return bare(null, capacity, load);
  },
};
