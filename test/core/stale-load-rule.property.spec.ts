import fc from 'fast-check';
import { HydraCache } from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { deferred, flushMicrotasks, type Deferred } from '../support/deferred.js';
import { resultTagOf } from '../support/resilience-model.js';

/*
 * The stale-load rule, checked directly rather than through a model: a caller never gets a value
 * whose load (or put) began before an invalidation of its key or of one of its tags (declared or
 * result tags), a put of its key or a flush that completed before the caller called. A value an
 * expire overtook may still be served stale within its grace ('stale' or 'failSafe'), never as a
 * 'hit' or a 'miss'. Unlike the model test (model.resilience.property.spec.ts), callers here
 * arrive at any moment: while a load (a background refresh included) runs, after invalidations,
 * after loads settle, so they join loads whose result tags were invalidated before they came.
 */

const KEYS = ['a', 'b'] as const;
/** t1..t3 (declared, or a result tag by value) and r:<key>, a result tag every value of the key brings. */
const TAGS = ['t1', 't2', 't3', 'r:a', 'r:b'] as const;

type Op =
  | { kind: 'call'; key: string; withStatus: boolean; variant: number }
  | { kind: 'settle'; pick: number; how: 'value' | 'fail' }
  | { kind: 'advance'; ms: number }
  | { kind: 'get'; key: string }
  | { kind: 'put'; key: string; tag: string }
  | { kind: 'invalidateKey' | 'expireKey'; key: string }
  | { kind: 'invalidateTag' | 'expireTag'; tag: string }
  | { kind: 'flush' };

/** Load options the calls pick from: grace and soft timeouts (background refreshes), hard timeouts, result tags. */
const VARIANTS = [
  { ttl: 100, grace: 1_000, timeout: 0 },
  { ttl: 100, grace: 1_000, timeout: 50, tags: ['t1'] },
  { ttl: 100, grace: 1_000, timeout: 0, hardTimeout: 200 },
  { ttl: 300, tags: ['t2'] },
  { ttl: 100, grace: 500, timeout: 1_000, hardTimeout: 150 },
];

const key = fc.constantFrom(...KEYS);
const tag = fc.constantFrom(...TAGS);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      key,
      withStatus: fc.boolean(),
      variant: fc.nat(VARIANTS.length - 1),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      how: fc.constantFrom('value' as const, 'value' as const, 'fail' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 1, max: 400 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('put' as const), key, tag }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('invalidateKey' as const, 'expireKey' as const),
      key,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('invalidateTag' as const, 'expireTag' as const),
      tag,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

/** Where a value came from: the step its load (or put) began, its key and all its tags. */
interface Origin {
  step: number;
  key: string;
  tags: readonly string[];
}

/** One completed invalidation, expire, put or flush. */
interface Overtake {
  step: number;
  kind: Op['kind'];
  key?: string;
  tag?: string;
}

/** Runs `ops` and returns every violation of the rule found (none expected). */
async function violationsOf(ops: Op[]): Promise<string[]> {
  const cache = HydraCache.local().maxCapacity(100).build();
  const origins = new Map<number, Origin>();
  const overtakes: Overtake[] = [];
  const pending: { id: number; gate: Deferred<number> }[] = [];
  const violations: string[] = [];
  let step = 0;
  let nextId = 1;

  /** Checks a value `id` served with `status` to a caller that called at `called`. */
  const check = (id: number, status: string, called: number, what: string): void => {
    const origin = origins.get(id)!;
    // getOrLoad does not say how it answered ('unknown'): it may be serving a value stale.
    const staleAllowed = status === 'stale' || status === 'failSafe' || status === 'unknown';
    for (const o of overtakes) {
      if (!(origin.step < o.step && o.step < called)) continue;
      const affects =
        o.kind === 'flush' ||
        o.key === origin.key ||
        (o.tag !== undefined && origin.tags.includes(o.tag));
      const expire = o.kind === 'expireKey' || o.kind === 'expireTag';
      if (affects && !(expire && staleAllowed)) {
        violations.push(
          `${what} at step ${called}: value ${id} (from step ${origin.step}, ${status}) ` +
            `overtaken by ${o.kind} at step ${o.step}`,
        );
      }
    }
  };

  for (const o of ops) {
    step++;
    const now = step;
    switch (o.kind) {
      case 'call': {
        const options = {
          ...VARIANTS[o.variant]!,
          resultTags: (v: number) => [resultTagOf(v), `r:${o.key}`],
        };
        const loader = (): Promise<number> => {
          const id = nextId++;
          origins.set(id, {
            step,
            key: o.key,
            tags: [...(options.tags ?? []), resultTagOf(id), `r:${o.key}`],
          });
          const gate = deferred<number>();
          pending.push({ id, gate });
          return gate.promise;
        };
        const what = `call ${o.key}`;
        if (o.withStatus) {
          cache.getOrLoadWithStatus(o.key, options, loader).then(
            (r) => check(r.value, r.status, now, what),
            () => undefined,
          );
        } else {
          cache.getOrLoad(o.key, options, loader).then(
            (v) => check(v, 'unknown', now, what),
            () => undefined,
          );
        }
        break;
      }
      case 'settle': {
        if (pending.length === 0) break;
        const [{ id, gate }] = pending.splice(o.pick % pending.length, 1);
        if (o.how === 'value') gate.resolve(id);
        else gate.reject(new Error('database down'));
        break;
      }
      case 'advance':
        advance(o.ms);
        break;
      case 'get': {
        const v = await cache.get<number>(o.key);
        if (v !== undefined) check(v, 'hit', now, `get ${o.key}`);
        break;
      }
      case 'put': {
        const id = nextId++;
        origins.set(id, { step, key: o.key, tags: [o.tag] });
        await cache.put(o.key, id, { tags: [o.tag], ttl: 300 });
        overtakes.push({ step, kind: 'put', key: o.key });
        break;
      }
      case 'invalidateKey':
      case 'expireKey':
        await cache[o.kind](o.key);
        overtakes.push({ step, kind: o.kind, key: o.key });
        break;
      case 'invalidateTag':
      case 'expireTag':
        await cache[o.kind](o.tag);
        overtakes.push({ step, kind: o.kind, tag: o.tag });
        break;
      case 'flush':
        await cache.flush();
        overtakes.push({ step, kind: 'flush' });
        break;
    }
    await flushMicrotasks(40);
  }
  // Every load settles, every timeout fires: the last answers are checked too.
  step++;
  while (pending.length > 0) {
    const { id, gate } = pending.shift()!;
    gate.resolve(id);
  }
  await flushMicrotasks(40);
  advance(2_000);
  await flushMicrotasks(40);
  await cache.close();
  return violations;
}

describe('the stale-load rule under random interleavings (callers arriving at any moment)', () => {
  beforeAll(() => installFakeClock());
  afterAll(() => uninstallFakeClock());

  it('no caller ever gets a value an invalidation, put or flush overtook before it called', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60, size: 'max' }), async (ops) => {
        expect(await violationsOf(ops)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
