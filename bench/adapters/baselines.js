import QuickLRU from 'quick-lru';
import { Encoder } from 'cbor-x';

/** @typedef {import('./types.js').Adapter} Adapter */

/**
 * The bare get-or-load a user would write by hand: quick-lru, an optional codec, a single-flight
 * map and a minimal tag map (never pruned on eviction; capacities in these workloads avoid it).
 * @param {{ encode(v: unknown): unknown, decode(b: any): unknown } | null} codec
 */
function bare(codec, capacity, load) {
  const lru = new QuickLRU({ maxSize: capacity });
  /** @type {Map<string, Promise<unknown>>} */
  const flights = new Map();
  /** @type {Map<string, Set<string>>} */
  const byTag = new Map();
  const encode = codec === null ? (v) => v : (v) => codec.encode(v);
  const decode = codec === null ? (b) => b : (b) => codec.decode(b);
  const fill = async (key, tags) => {
    try {
      const data = encode(await load(key));
      lru.set(key, data);
      if (tags !== undefined) {
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
      for (const key of set) lru.delete(key);
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

/** Raw quick-lru without a codec: values by reference, no copies. */
export const rawQuickLru = {
  id: 'quick-lru',
  label: 'quick-lru, no codec',
  how: 'hand-written get-or-load, single-flight map',
  async create({ capacity, load }) {
    return bare(null, capacity, load);
  },
};
