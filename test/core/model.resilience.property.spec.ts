import { jest } from '@jest/globals';
import fc from 'fast-check';
import { HydraCache } from '../../lib/index.js';
import { deferred, flushMicrotasks } from '../support/deferred.js';
import {
  MODEL_DEFAULT_TTL,
  ResilienceModel,
  resultTagOf,
  type Expected,
  type ModelLoadOptions,
} from '../support/resilience-model.js';
import { same } from '../support/structural-equality.js';

/*
 * Random operation sequences with grace, stale-while-revalidate, fail-safe and its backoff, soft
 * and hard timeouts, and expireKey/expireTag, run against the cache and against a naive model
 * (test/support/resilience-model.ts). A load op starts 1-3 concurrent calls of a key whose loader
 * is held by a gate, optionally applies one operation while it runs, lets time pass in steps (each
 * timeout fires at its own moment), then settles the loader with a value, a failure, or never.
 * After every step, each caller's answer so far, the loader calls, all stats and the diagnostics
 * must agree with the model.
 */

const KEYS = ['a', 'b', 'c'] as const;
const TAGS = ['t1', 't2', 't3'] as const;
const START = 1_700_000_000_000;

type SimpleOp =
  | { kind: 'put'; key: string; value: number; tags: string[]; ttl: number | undefined }
  | { kind: 'get'; key: string }
  | { kind: 'containsAll' }
  | { kind: 'invalidateKey'; key: string }
  | { kind: 'invalidateTag'; tag: string }
  | { kind: 'expireKey'; key: string }
  | { kind: 'expireTag'; tag: string }
  | { kind: 'flush' };

interface LoadOp {
  kind: 'load';
  key: string;
  value: number | undefined;
  /** Per caller: true to call getOrLoadWithStatus (its status is checked too), false for getOrLoad. */
  withStatus: boolean[];
  options: ModelLoadOptions;
  during: SimpleOp | undefined;
  /** How long (ms) passes while the loader runs. */
  wait: number;
  outcome: 'value' | 'fail' | 'hang';
}

type Op = SimpleOp | LoadOp | { kind: 'advance'; ms: number };

// ---------------------------------------------------------------------------------------------
// Arbitraries

const key = fc.constantFrom(...KEYS);
const tag = fc.constantFrom(...TAGS);
const tags = fc.uniqueArray(tag, { maxLength: 2 });
// Short TTLs, so entries lapse into their grace within a few steps.
const ttl = fc.option(
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 600 }) },
    { weight: 1, arbitrary: fc.constant(Infinity) },
  ),
  { nil: undefined },
);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });

const simpleOp: fc.Arbitrary<SimpleOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      key,
      value: fc.integer(),
      tags,
      ttl,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), key }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'containsAll' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidateKey' as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidateTag' as const), tag }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expireKey' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expireTag' as const), tag }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

const loadOptions: fc.Arbitrary<ModelLoadOptions> = fc.record({
  tags,
  resultTags: fc.boolean(),
  ttl,
  // Mostly with grace, so later calls find stale entries; sometimes none (expire then removes).
  grace: maybe(
    fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 2_000 }) },
    ),
  ),
  failSafeBackoff: maybe(fc.integer({ min: 0, max: 3_000 })),
  timeout: maybe(fc.integer({ min: 0, max: 400 })),
  hardTimeout: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined, freq: 2 }),
});

const loadOp: fc.Arbitrary<LoadOp> = fc
  .record({
    kind: fc.constant('load' as const),
    key,
    value: fc.option(fc.integer(), { nil: undefined, freq: 8 }),
    withStatus: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
    options: loadOptions,
    during: maybe(simpleOp),
    wait: fc.integer({ min: 0, max: 500 }),
    outcome: fc.constantFrom('value' as const, 'fail' as const, 'hang' as const),
  })
  // A loader that never settles is only ever left behind once its hard timeout released it.
  .map((o) =>
    o.outcome === 'hang' &&
    !(o.options.hardTimeout !== undefined && o.options.hardTimeout <= o.wait)
      ? { ...o, outcome: 'value' as const }
      : o,
  );

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: simpleOp },
  { weight: 6, arbitrary: loadOp },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      // Mostly within TTLs, sometimes past any TTL, grace or backoff.
      ms: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 600 }) },
        { weight: 1, arbitrary: fc.integer({ min: 600, max: 4_000 }) },
      ),
    }),
  },
);

// ---------------------------------------------------------------------------------------------
// Running one operation on both sides

async function applySimple(cache: HydraCache, model: ResilienceModel, o: SimpleOp): Promise<void> {
  switch (o.kind) {
    case 'put':
      await cache.put(o.key, o.value, { tags: o.tags, ttl: o.ttl });
      model.put(o.key, o.value, o.tags, o.ttl);
      return;
    case 'get':
      same(await cache.get(o.key), model.get(o.key), 'get');
      return;
    case 'containsAll':
      for (const k of KEYS) same(await cache.containsKey(k), model.containsKey(k), k);
      return;
    case 'invalidateKey':
      same(await cache.invalidateKey(o.key), model.invalidateKey(o.key), 'invalidateKey');
      return;
    case 'invalidateTag':
      same(await cache.invalidateTag(o.tag), model.invalidateTag(o.tag), 'invalidateTag');
      return;
    case 'expireKey':
      same(await cache.expireKey(o.key), model.expireKey(o.key), 'expireKey');
      return;
    case 'expireTag':
      same(await cache.expireTag(o.tag), model.expireTag(o.tag), 'expireTag');
      return;
    case 'flush':
      await cache.flush();
      model.flush();
      return;
  }
}

/** The cache's spelling of a modelled call's options: `resultTags` as the function the model describes. */
function cacheOptions({ resultTags, ...rest }: ModelLoadOptions) {
  return resultTags === true
    ? { ...rest, resultTags: (v: number | undefined) => [resultTagOf(v!)] }
    : rest;
}

/** A caller's answer as the test observed it, in the model's terms. */
function observed(withStatus: boolean, settled: PromiseSettledResult<unknown>, failure: Error) {
  if (settled.status === 'rejected') {
    const e = settled.reason as { code?: string };
    return { ok: false, error: e === failure ? 'failure' : (e.code ?? String(e)) };
  }
  if (!withStatus) return { ok: true, value: settled.value };
  const { value, status } = settled.value as { value: unknown; status: string };
  return { ok: true, value, status };
}

function expectedFor(withStatus: boolean, e: Expected | undefined): unknown {
  if (e === undefined || !e.ok || withStatus) return e;
  return { ok: true, value: e.value };
}

async function applyLoad(cache: HydraCache, model: ResilienceModel, o: LoadOp): Promise<void> {
  const gate = deferred<number | undefined>();
  // Marked handled: when every call hits, nothing awaits the gate (the cache's own promises stay watched).
  void gate.promise.catch(() => undefined);
  const failure = new Error('database down');
  let loaderCalls = 0;
  const loader = (): Promise<number | undefined> => {
    loaderCalls++;
    return gate.promise;
  };
  const settled: (PromiseSettledResult<unknown> | undefined)[] = o.withStatus.map(() => undefined);
  o.withStatus.forEach((withStatus, i) => {
    const options = cacheOptions(o.options);
    const call = withStatus
      ? cache.getOrLoadWithStatus(o.key, options, loader)
      : cache.getOrLoad(o.key, options, loader);
    call.then(
      (value) => (settled[i] = { status: 'fulfilled', value }),
      (reason: unknown) => (settled[i] = { status: 'rejected', reason }),
    );
  });
  const run = model.start(o.key, o.options, o.withStatus.length);
  const check = (step: string): void => {
    const actual = settled.map((s, i) =>
      s === undefined ? undefined : observed(o.withStatus[i]!, s, failure),
    );
    same(
      actual,
      run.results.map((e, i) => expectedFor(o.withStatus[i]!, e)),
      step,
    );
    same(loaderCalls, run.loaderCalls, `${step}: loader calls`);
  };
  await flushMicrotasks(40);
  check('at once');
  if (o.during !== undefined) await applySimple(cache, model, o.during);

  // Time passes in steps, so each timeout fires at its own moment (a soft one first on a tie).
  const { timeout, hardTimeout } = o.options;
  const marks = [...new Set([timeout ?? 0, hardTimeout ?? Infinity, o.wait])]
    .filter((m) => m > 0 && m <= o.wait)
    .sort((x, y) => x - y);
  let elapsed = 0;
  for (const mark of marks) {
    jest.advanceTimersByTime(mark - elapsed);
    elapsed = mark;
    await flushMicrotasks(40);
    if (mark === timeout) model.softTimeout(run);
    if (mark === hardTimeout) model.hardTimeout(run);
    check(`after ${mark} ms`);
  }

  if (o.outcome === 'value') gate.resolve(o.value);
  if (o.outcome === 'fail') gate.reject(failure);
  await flushMicrotasks(40);
  model.settle(run, o.outcome, o.value);
  check('settled');
  expect(run.results.every((r) => r !== undefined)).toBe(true);
}

function checkAgreement(cache: HydraCache, model: ResilienceModel): void {
  same({ ...cache.stats() }, model.stats, 'stats');
  same(
    { ...cache.diagnostics() },
    {
      entries: model.entries.size,
      indexedTags: model.indexedTags,
      inFlightLoads: 0,
      tagGenerations: model.tagGenerations,
    },
    'diagnostics',
  );
}

async function runSequence(ops: Op[]): Promise<ResilienceModel> {
  jest.setSystemTime(START);
  const cache = HydraCache.local().maxCapacity(100).defaultTtl(MODEL_DEFAULT_TTL).build();
  const model = new ResilienceModel();
  for (const o of ops) {
    if (o.kind === 'load') await applyLoad(cache, model, o);
    else if (o.kind === 'advance') jest.advanceTimersByTime(o.ms);
    else await applySimple(cache, model, o);
    checkAgreement(cache, model);
  }
  return model;
}

describe('HydraCache with grace, fail-safe, timeouts and expire, against a model (property-based)', () => {
  beforeAll(() => {
    jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterAll(() => {
    jest.useRealTimers();
  });

  it('agrees with the model on every answer, loader call, stat and diagnostic', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 50, size: 'max' }), async (ops) => {
        await runSequence(ops);
      }),
      { numRuns: 300 },
    );
  });

  it('walks an outage through the model: fail-safe, backoff without loader calls, then a hard timeout', async () => {
    const options = (o: Partial<ModelLoadOptions>): ModelLoadOptions => ({
      tags: ['t1'],
      ttl: 100,
      grace: 1_000,
      failSafeBackoff: 300,
      timeout: 50,
      hardTimeout: undefined,
      ...o,
    });
    const load = (o: Partial<LoadOp>): LoadOp => ({
      kind: 'load',
      key: 'a',
      value: 1,
      withStatus: [true, false],
      options: options({}),
      during: undefined,
      wait: 0,
      outcome: 'value',
      ...o,
    });
    const model = await runSequence([
      load({}),
      { kind: 'advance', ms: 150 },
      load({ outcome: 'fail', wait: 10 }), // stale within grace: fail-safe serves it, backoff starts
      { kind: 'advance', ms: 100 },
      load({ outcome: 'fail' }), // within the backoff: stale at once, no loader call
      { kind: 'advance', ms: 250 },
      load({ outcome: 'hang', wait: 80, options: options({ hardTimeout: 80 }) }), // soft, then hard
      { kind: 'expireTag', tag: 't1' },
      { kind: 'advance', ms: 2_000 },
      load({ outcome: 'hang', wait: 80, options: options({ hardTimeout: 80 }) }), // past grace
    ]);
    expect(model.counters).toMatchObject({
      failSafeActivations: 2,
      softTimeouts: 2,
      hardTimeouts: 2,
      loads: 4,
    });
  });
});
