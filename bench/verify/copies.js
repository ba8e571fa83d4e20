/**
 * Verifies that the callers sharing one load each get their own copy, equal to a fresh decode:
 * plain data is cloned from a private template, anything else is decoded per caller.
 *   node bench/verify/copies.js
 */
import { isDeepStrictEqual } from 'node:util';
import { HydraCache } from '../../dist/index.js';

const VALUES = {
  plain: () => ({
    id: 1,
    at: new Date(5),
    nested: { list: [1, 'two', null, { deep: true }] },
    u: undefined,
  }),
  array: () => [{ a: 1 }, [2, [3]], new Date(0), 'x'],
  map: () => ({ m: new Map([[1, { a: 1 }]]), s: new Set([1]), bytes: new Uint8Array([1, 2]) }),
  primitive: () => 'text',
  nullish: () => null,
};

const MUTATE = {
  plain: (v) => {
    v.nested.list[3].deep = false;
    v.at.setTime(0);
  },
  array: (v) => {
    v[0].a = 99;
    v[1][1].push(4);
    v[2].setTime(1);
  },
  map: (v) => {
    v.m.get(1).a = 2;
    v.bytes[0] = 9;
  },
};

async function verifyOne(name, make) {
  const cache = HydraCache.local().build();
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const calls = Array.from({ length: 50 }, () =>
    cache.getOrLoad(name, undefined, () => gate.then(make)),
  );
  release();
  const copies = await Promise.all(calls);
  const expected = make();
  copies.forEach((copy, i) => {
    if (!isDeepStrictEqual(copy, expected))
      throw new Error(`${name}: caller ${i} got ${String(copy)}`);
  });
  if (typeof expected === 'object' && expected !== null) {
    if (new Set(copies).size !== copies.length) throw new Error(`${name}: callers share an object`);
    // Mutating one caller's copy, deep inside, changes neither the others nor the cache. (The
    // first caller decodes; later ones may get clones of one template: mutate a clone.)
    MUTATE[name](copies[1]);
    if (!isDeepStrictEqual(copies[2], expected)) throw new Error(`${name}: copies are not deep`);
    if (!isDeepStrictEqual(await cache.get(name), expected))
      throw new Error(`${name}: cache changed`);
  }
  if (cache.stats().loads !== 1) throw new Error(`${name}: ${cache.stats().loads} loads`);
}

export async function verifyCopies() {
  for (const [name, make] of Object.entries(VALUES)) await verifyOne(name, make);
  return `${Object.keys(VALUES).length} value kinds: 50 joiners each got an equal, independent copy`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await verifyCopies());
}
