import { jest } from '@jest/globals';
import fc from 'fast-check';
import { HydraCache, type CacheStats } from '../../lib/index.js';
import { deferred } from '../support/deferred.js';
import { GenerationalOrder } from '../support/generational-order.js';
import { same } from '../support/structural-equality.js';
import { zeroCounters, type Counters } from '../support/zero-counters.js';

/*
 * Runs random operation sequences against the cache and against a deliberately naive model
 * (a Map with expiry times, and quick-lru's two-generation recency order), and checks after every step that
 * returned values, stats and bookkeeping sizes agree.
 */

const KEYS = ['a', 'b', 'c', 'd', 'e'] as const;
const TAGS = ['t1', 't2', 't3', 't4'] as const;
const DEFAULT_TTL = 1_000;
const START = 1_700_000_000_000;

type Options = { tags: string[]; ttl: number | undefined };

type SimpleOp =
  | ({ kind: 'put'; key: string; value: unknown } & Options)
  | { kind: 'putUndefined'; key: string }
  | { kind: 'get'; key: string }
  | { kind: 'containsKey'; key: string }
  | { kind: 'containsAll' }
  | { kind: 'invalidateKey'; key: string }
  | { kind: 'remove'; key: string }
  | { kind: 'invalidateTag'; tag: string }
  | { kind: 'flush' }
  | { kind: 'advance'; ms: number };

type Op =
  | SimpleOp
  | ({ kind: 'getOrLoad'; key: string; value: unknown; callers: number; sync: boolean } & Options)
  | { kind: 'failingLoad'; key: string; callers: number }
  | ({ kind: 'loadAround'; key: string; value: unknown; during: SimpleOp } & Options);

interface ModelEntry {
  value: unknown;
  expiresAt: number;
  tags: string[];
}

class Model {
  /** Stored entries (expired ones stay until touched); their eviction order is kept in `order`. */
  readonly entries = new Map<string, ModelEntry>();
  readonly order: GenerationalOrder;
  readonly counters: Counters = zeroCounters();
  /** The one load running during a `loadAround`, and whether something overtook it. */
  flight: { key: string; tags: string[]; superseded: boolean } | undefined;

  constructor(readonly capacity: number) {
    this.order = new GenerationalOrder(capacity);
  }

  #drop(key: string): void {
    this.entries.delete(key);
    this.order.remove(key);
  }

  get stats(): CacheStats {
    return { ...this.counters, size: this.entries.size };
  }

  get indexedTags(): number {
    return new Set([...this.entries.values()].flatMap((e) => e.tags)).size;
  }

  /** The live entry (dropping an expired one), without touching recency. */
  #live(key: string): ModelEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#drop(key);
      return undefined;
    }
    return entry;
  }

  /**
   * A read: the live entry, marked recently used. Like quick-lru's get, the key is promoted
   * before its expiry is checked, so reading an expired key can still swap the generations.
   */
  #read(key: string): ModelEntry | undefined {
    if (this.entries.has(key)) this.order.read(key);
    return this.#live(key);
  }

  #write(key: string, value: unknown, { tags, ttl }: Options): void {
    const ms = ttl ?? DEFAULT_TTL;
    const entry = { value, tags, expiresAt: ms === Infinity ? Infinity : Date.now() + ms };
    const evicted = this.order.write(key);
    if (evicted !== undefined) {
      this.entries.delete(evicted);
      this.counters.evictions++;
    }
    this.entries.set(key, entry);
  }

  #supersede(matches: (flight: { key: string; tags: string[] }) => boolean): void {
    if (this.flight !== undefined && matches(this.flight)) this.flight.superseded = true;
  }

  put(key: string, value: unknown, options: Options): void {
    this.#supersede((f) => f.key === key);
    this.#write(key, value, options);
  }

  get(key: string): unknown {
    const entry = this.#read(key);
    if (entry === undefined) this.counters.misses++;
    else this.counters.hits++;
    return entry?.value;
  }

  containsKey(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  invalidateKey(key: string): boolean {
    this.#supersede((f) => f.key === key);
    const entry = this.entries.get(key);
    this.#drop(key);
    const live = entry !== undefined && entry.expiresAt > Date.now();
    if (live) this.counters.invalidations++;
    return live;
  }

  invalidateTag(tag: string): number {
    this.#supersede((f) => f.tags.includes(tag));
    let removed = 0;
    for (const [key, entry] of [...this.entries]) {
      if (!entry.tags.includes(tag)) continue;
      this.#drop(key);
      if (entry.expiresAt > Date.now()) removed++;
    }
    this.counters.invalidations += removed;
    return removed;
  }

  flush(): void {
    this.#supersede(() => true);
    this.entries.clear();
    this.order.clear();
  }

  /** `callers` concurrent getOrLoad calls: all hit, or all miss and share one load. */
  startLoad(key: string, callers: number): { hit: true; value: unknown } | { hit: false } {
    const entry = this.#read(key);
    if (entry !== undefined) {
      // Each caller's hit is a read of its own: a later one may promote the key again if the
      // first read swapped the generations.
      for (let i = 1; i < callers; i++) this.#read(key);
      this.counters.hits += callers;
      return { hit: true, value: entry.value };
    }
    this.counters.misses += callers;
    this.counters.loads++;
    this.counters.singleFlightJoins += callers - 1;
    return { hit: false };
  }

  finishLoad(key: string, value: unknown, options: Options, superseded: boolean): void {
    if (value === undefined) return;
    if (superseded) this.counters.staleLoadDiscards++;
    else this.#write(key, value, options);
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const key = fc.constantFrom(...KEYS);
const tag = fc.constantFrom(...TAGS);
const options = fc.record({
  // Up to five tags with repeats: entries use their tag fields, the overflow array and duplicates.
  tags: fc.array(tag, { maxLength: 5 }),
  ttl: fc.option(fc.oneof(fc.integer({ min: 1, max: 1_500 }), fc.constant(Infinity)), {
    nil: undefined,
  }),
});
const value = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }),
  fc.record(
    {
      n: fc.integer(),
      at: fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }),
    },
    { noNullPrototype: true },
  ),
);

const simpleOp: fc.Arbitrary<SimpleOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ kind: fc.constant('put' as const), key, value })
      .chain((op) => options.map((o) => ({ ...op, ...o }))),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('putUndefined' as const), key }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('get' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('containsKey' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'containsAll' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('invalidateKey' as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('invalidateTag' as const), tag }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      // Mostly short steps, so entries live across several operations; sometimes past any TTL.
      ms: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 300 }) },
        { weight: 1, arbitrary: fc.integer({ min: 300, max: 1_600 }) },
      ),
    }),
  },
);

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: simpleOp },
  {
    weight: 4,
    arbitrary: fc
      .record({
        kind: fc.constant('getOrLoad' as const),
        key,
        value: fc.option(value, { nil: undefined, freq: 6 }),
        callers: fc.integer({ min: 1, max: 3 }),
        sync: fc.boolean(),
      })
      .chain((o) => options.map((opts) => ({ ...o, ...opts }))),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('failingLoad' as const),
      key,
      callers: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        kind: fc.constant('loadAround' as const),
        key,
        value: fc.option(value, { nil: undefined, freq: 6 }),
        during: simpleOp,
      })
      .chain((o) => options.map((opts) => ({ ...o, ...opts }))),
  },
);

// ---------------------------------------------------------------------------------------------
// Running one operation on both sides

async function applySimple(cache: HydraCache, model: Model, o: SimpleOp): Promise<void> {
  switch (o.kind) {
    case 'put':
      await cache.put(o.key, o.value, { tags: o.tags, ttl: o.ttl });
      model.put(o.key, o.value, o);
      return;
    case 'putUndefined':
      await expect(cache.put(o.key, undefined)).rejects.toMatchObject({
        code: 'E_INVALID_OPTION',
      });
      return;
    case 'get':
      same(await cache.get(o.key), model.get(o.key));
      return;
    case 'containsKey':
      same(await cache.containsKey(o.key), model.containsKey(o.key));
      return;
    case 'containsAll':
      for (const k of KEYS) same(await cache.containsKey(k), model.containsKey(k), k);
      return;
    case 'invalidateKey':
      same(await cache.invalidateKey(o.key), model.invalidateKey(o.key));
      return;
    case 'remove':
      same(await cache.remove(o.key), model.invalidateKey(o.key));
      return;
    case 'invalidateTag':
      same(await cache.invalidateTag(o.tag), model.invalidateTag(o.tag));
      return;
    case 'flush':
      await cache.flush();
      model.flush();
      return;
    case 'advance':
      jest.advanceTimersByTime(o.ms);
      return;
  }
}

async function apply(cache: HydraCache, model: Model, o: Op): Promise<void> {
  switch (o.kind) {
    case 'getOrLoad': {
      const loader = (): unknown => (o.sync ? o.value : Promise.resolve(o.value));
      const calls = Array.from({ length: o.callers }, () =>
        cache.getOrLoad(o.key, { tags: o.tags, ttl: o.ttl }, loader),
      );
      const expected = model.startLoad(o.key, o.callers);
      const results = await Promise.all(calls);
      if (expected.hit) {
        for (const r of results) same(r, expected.value);
      } else {
        for (const r of results) same(r, o.value);
        model.finishLoad(o.key, o.value, o, false);
      }
      return;
    }
    case 'failingLoad': {
      const failure = new Error('loader failed');
      const calls = Array.from({ length: o.callers }, () =>
        cache
          .getOrLoad(o.key, undefined, () => Promise.reject(failure))
          .then(
            (v) => ({ ok: true as const, v }),
            (e: unknown) => ({ ok: false as const, e }),
          ),
      );
      const expected = model.startLoad(o.key, o.callers);
      for (const r of await Promise.all(calls)) {
        if (expected.hit) same(r, { ok: true, v: expected.value });
        else expect(r.ok === false && r.e === failure).toBe(true);
      }
      return;
    }
    case 'loadAround': {
      const gate = deferred<unknown>();
      const call = cache.getOrLoad(o.key, { tags: o.tags, ttl: o.ttl }, () => gate.promise);
      const expected = model.startLoad(o.key, 1);
      if (!expected.hit) model.flight = { key: o.key, tags: o.tags, superseded: false };
      await applySimple(cache, model, o.during);
      gate.resolve(o.value);
      const result = await call;
      if (expected.hit) {
        same(result, expected.value);
      } else {
        same(result, o.value);
        model.finishLoad(o.key, o.value, o, model.flight!.superseded);
        model.flight = undefined;
      }
      return;
    }
    default:
      await applySimple(cache, model, o);
  }
}

function checkAgreement(cache: HydraCache, model: Model): void {
  same({ ...cache.stats() }, model.stats);
  same(
    { ...cache.diagnostics() },
    {
      entries: model.entries.size,
      indexedTags: model.indexedTags,
      inFlightLoads: 0,
      tagGenerations: 0,
    },
  );
}

async function runSequence(capacity: number, ops: Op[]): Promise<Model> {
  jest.setSystemTime(START);
  const cache = HydraCache.local().maxCapacity(capacity).defaultTtl(DEFAULT_TTL).build();
  const model = new Model(capacity);
  for (const o of ops) {
    await apply(cache, model, o);
    checkAgreement(cache, model);
    if (cache.stats().size > capacity) expect(cache.stats().size).toBeLessThanOrEqual(capacity);
  }
  return model;
}

describe('HydraCache against a model (property-based)', () => {
  beforeAll(() => {
    jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterAll(() => {
    jest.useRealTimers();
  });

  it('agrees with the model when capacity is small enough to evict', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 3, 4),
        fc.array(op, { minLength: 1, maxLength: 80, size: 'max' }),
        async (capacity, ops) => {
          await runSequence(capacity, ops);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with the model, and never evicts, when capacity exceeds the key space', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 80, size: 'max' }), async (ops) => {
        const model = await runSequence(100, ops);
        expect(model.counters.evictions).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("follows quick-lru's two-generation recency order under reads and writes only", async () => {
    const readsAndWrites: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), key, value: fc.integer() }).map((o) => ({
        ...o,
        tags: [],
        ttl: Infinity,
      })),
      fc.record({ kind: fc.constant('get' as const), key }),
      fc.constant({ kind: 'containsAll' as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 3, 4),
        fc.array(readsAndWrites, { minLength: 1, maxLength: 40, size: 'max' }),
        async (capacity, ops) => {
          await runSequence(capacity, ops);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the model itself notices a wrong value (sanity check of the harness)', async () => {
    jest.setSystemTime(START);
    const cache = HydraCache.local().maxCapacity(3).defaultTtl(DEFAULT_TTL).build();
    const model = new Model(3);
    await cache.put('a', 1);
    model.put('a', 2, { tags: [], ttl: undefined });
    await expect(applySimple(cache, model, { kind: 'get', key: 'a' })).rejects.toThrow();
  });
});
