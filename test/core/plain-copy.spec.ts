import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { HydraCache } from '../../lib/index.js';
import { copyByPlan, planCopy } from '../../lib/core/plain-copy.js';
import { deferred } from '../support/deferred.js';

/** Every object reachable from `value` (objects, arrays, Dates). */
function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null) return into;
  into.add(value);
  for (const field of Object.values(value)) objectsIn(field, into);
  return into;
}

/** Plain data as CBOR decodes it: primitives, Dates and undefined in arrays and plain objects. */
const plainData = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.double(), fc.string(), fc.boolean(), fc.constant(null)),
    fc.date({ noInvalidDate: true }),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ maxLength: 9 }).filter((key) => key !== '__proto__'),
      tie('value'),
      { maxKeys: 4, noNullPrototype: true },
    ),
  ),
})).value;

describe('plan-based copies of plain data', () => {
  it('copies plain data exactly and shares no object with the original', () => {
    fc.assert(
      fc.property(plainData, (value) => {
        const plan = planCopy(value);
        expect(plan).not.toBeUndefined();
        const copy = copyByPlan(plan!, value);
        expect(isDeepStrictEqual(copy, value)).toBe(true);
        const shared = [...objectsIn(copy)].filter((o) => objectsIn(value).has(o));
        expect(shared).toEqual([]);
      }),
    );
  });

  it.each([
    ['a Map', new Map([[1, 2]])],
    ['a Set', new Set([1])],
    ['a Uint8Array', new Uint8Array([1])],
    ['a class instance', new (class Point {})()],
    ['a function', () => 1],
    ['a sparse array', Object.assign(new Array(3), { 0: 1, 2: 3 })],
    ['an object with an own __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
    ['a Map nested in an array', [{ m: new Map() }]],
    ['an object without a prototype', Object.create(null)],
  ])('declines %s (callers then decode their own copy)', (_label, value) => {
    expect(planCopy(value)).toBeUndefined();
  });

  it('declines values nested deeper than 64 levels instead of overflowing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(planCopy(deep)).toBeUndefined();
  });
});

describe('callers joining one load', () => {
  it.each([
    ['plain data', () => ({ at: new Date(5), nested: { list: [1, { deep: true }] }, tags: ['a'] })],
    ['data with a Map (decoded per caller)', () => ({ m: new Map([[1, { a: 1 }]]), list: [1] })],
  ])('each get a deep, independent copy of %s', async (_label, make) => {
    const cache = HydraCache.local().build();
    const gate = deferred<ReturnType<typeof make>>();
    const callers = Array.from({ length: 6 }, () =>
      cache.getOrLoad('k', undefined, () => gate.promise),
    );
    gate.resolve(make());
    const copies = await Promise.all(callers);

    expect(new Set(copies).size).toBe(copies.length);
    for (const copy of copies) expect(copy).toEqual(make());
    // Mutating everything reachable in one caller's copy leaves the others and the cache alone.
    for (const object of objectsIn(copies[3])) {
      if (object instanceof Date) object.setTime(0);
      else if (Array.isArray(object)) object.push('mutated');
      else if (object instanceof Map) object.clear();
      else (object as Record<string, unknown>).mutated = true;
    }
    for (const i of [0, 1, 2, 4, 5]) expect(copies[i]).toEqual(make());
    expect(await cache.get('k')).toEqual(make());
  });
});
