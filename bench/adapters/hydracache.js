import { Encoder } from 'cbor-x';
import { HydraCache } from '../../dist/index.js';

/** @typedef {import('./types.js').Adapter} Adapter */

/**
 * HydraCache `getOrLoad`, built from the compiled package (dist/), configured by `configure`.
 * @param {string} id
 * @param {string} label
 * @param {(builder: ReturnType<typeof HydraCache.local>) => ReturnType<typeof HydraCache.local>} configure
 * @returns {Adapter}
 */
function hydra(id, label, configure) {
  return {
    id,
    label,
    how: 'cache.getOrLoad(key, { ttl }, () => load(key))',
    async create({ capacity, ttl, load }) {
      const cache = configure(HydraCache.local().defaultTtl(ttl).maxCapacity(capacity)).build();
      const plain = { ttl };
      return {
        getOrLoad: (key, tags) =>
          cache.getOrLoad(key, tags === undefined ? plain : { ttl, tags }, () => load(key)),
        invalidateTag: (tag) => cache.invalidateTag(tag),
        close: () => cache.flush(),
        cache,
      };
    },
  };
}

/** Default configuration: cbor-x codec, every reader gets its own copy. */
export const hydraDefault = hydra('hydra', 'HydraCache (default cbor)', (b) => b);

/**
 * A custom codec with cbor-x's default `new Encoder()` (each entry carries its own record
 * definitions): the same codec as the baseline, to show HydraCache's own overhead.
 */
export const hydraSelfContained = hydra(
  'hydra-selfcontained',
  'HydraCache (codec: new Encoder())',
  (b) => {
    const encoder = new Encoder();
    return b.codec({ encode: (v) => encoder.encode(v), decode: (bytes) => encoder.decode(bytes) });
  },
);

/** No-copy mode: values kept by reference. */
export const hydraNoCopy = hydra('hydra-nocopy', 'HydraCache (noCopy)', (b) => b.noCopy());
