/**
 * Verifies that cbor-x shared record structures are safe for the cache: every stored entry stays
 * decodable whatever shapes come later (thousands of distinct shapes, shapes that extend others,
 * failed encodings), also across evictions, and typed arrays read back are copies.
 *   node bench/verify/shared-structures.js
 */
import { isDeepStrictEqual } from 'node:util';
import { CborCodec, HydraCache } from '../../dist/index.js';

/** Deterministic PRNG. */
function rng(seed) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

/** A value of one of many shapes: random key subsets/orders, prefixes, nesting, arrays, Dates. */
function shaped(random, i) {
  const kind = i % 5;
  const width = 1 + Math.floor(random() * 12);
  const o = {};
  for (let k = 0; k < width; k++) {
    const name = kind === 0 ? `k${k}` : `f${Math.floor(random() * 4000)}`; // kind 0: prefixes of one list
    o[name] = k % 3 === 0 ? `s${i}-${k}` : k % 3 === 1 ? i * k : new Date(1_700_000_000_000 + i);
  }
  if (kind === 2) o.child = { f1: i, [`n${i % 300}`]: [{ x: i }, { x: i, y: 'y' }] };
  if (kind === 3) return [o, { ...o, extra: true }, { id: i }];
  if (kind === 4) return new Map([[`m${i}`, o]]);
  return o;
}

function expectSame(actual, expected, where) {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${where}: decoded ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  }
}

/** Codec level: 6 000 shapes, decoding old entries all along. */
function verifyCodec() {
  const random = rng(1);
  const codec = new CborCodec({ sharedStructures: true });
  const stored = [];
  for (let i = 0; i < 6000; i++) {
    const value = shaped(random, i);
    stored.push({ data: codec.pack(value), value });
    if (i % 7 === 0) {
      // A failing encoding in the middle of new shapes must not disturb anything.
      try {
        codec.pack({ [`fail${i}`]: 1, later: () => 1 });
        throw new Error('encoding a function should fail');
      } catch (error) {
        if (error.message === 'encoding a function should fail') throw error;
      }
    }
    const old = stored[Math.floor(random() * stored.length)];
    expectSame(codec.unpack(old.data), old.value, `codec, entry decoded at step ${i}`);
  }
  stored.forEach((s, i) =>
    expectSame(codec.unpack(s.data), s.value, `codec, entry ${i} at the end`),
  );
  // Large values take the non-string and the fresh-buffer paths.
  for (const size of [9_000, 70_000]) {
    const value = { big: 'x'.repeat(size), at: new Date(5) };
    expectSame(codec.unpack(codec.pack(value)), value, `codec, ${size}-byte value`);
  }
  return stored.length;
}

/** Cache level: a small default cache (shared structures) under eviction churn. */
async function verifyCache() {
  const random = rng(2);
  const cache = HydraCache.local().maxCapacity(500).build();
  const expected = new Map();
  for (let i = 0; i < 20_000; i++) {
    const key = `k${Math.floor(random() * 3000)}`;
    const value = shaped(random, i);
    await cache.put(key, value);
    expected.set(key, value);
    const probe = `k${Math.floor(random() * 3000)}`;
    const got = await cache.get(probe);
    if (got !== undefined) expectSame(got, expected.get(probe), `cache, ${probe} at step ${i}`);
  }
  let present = 0;
  for (const [key, value] of expected) {
    const got = await cache.get(key);
    if (got === undefined) continue;
    present++;
    expectSame(got, value, `cache, ${key} at the end`);
  }
  if (present !== 500) throw new Error(`expected 500 live entries, found ${present}`);
  if (cache.stats().evictions === 0) throw new Error('expected evictions');
  // Readers get copies, typed arrays included.
  await cache.put('bytes', { b: new Uint8Array([1, 2, 3]) });
  const first = await cache.get('bytes');
  first.b[0] = 99;
  expectSame(await cache.get('bytes'), { b: new Uint8Array([1, 2, 3]) }, 'cache, typed array copy');
  return present;
}

export async function verifySharedStructures() {
  const encoded = verifyCodec();
  const live = await verifyCache();
  return `${encoded} shapes decoded after later shapes; ${live} live entries intact after eviction churn`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await verifySharedStructures());
}
