/** Workload (2): stampedes. Loader runs and time over the loader's 20 ms. */
import { adapter } from '../adapters/index.js';
import { fmt, interleave, now, summarize } from '../lib/harness.js';
import { checkUser, idOf, makeUser, sleep } from '../lib/fixtures.js';

const LOADER_MS = 20;

/** Systems with a get-or-load that should deduplicate concurrent misses. */
export const STAMPEDE_SYSTEMS = [
  'baseline',
  'quick-lru',
  'hydra',
  'hydra-nocopy',
  'cache-manager',
  'bentocache',
  'async-cache-dedupe',
  'lru-cache',
];

/**
 * Issues `callers` calls per key for `keyCount` fresh keys all at once (callers interleaved across
 * keys), awaits them all and checks every answer.
 * @returns {Promise<{ elapsed: number, runs: number }>}
 */
async function stampede(inst, counter, prefix, keyCount, callers) {
  const before = counter.runs;
  const start = now();
  const pending = [];
  for (let c = 0; c < callers; c++) {
    for (let k = 0; k < keyCount; k++) pending.push(inst.getOrLoad(`${prefix}:user:${k}`));
  }
  const values = await Promise.all(pending);
  const elapsed = now() - start;
  values.forEach((v, i) => checkUser(v, i % keyCount));
  return { elapsed, runs: counter.runs - before };
}

/**
 * @param {{ rounds: number }} config
 * @returns {Promise<import('../lib/report.js').Section>}
 */
export async function stampedes({ rounds }) {
  const scenarios = [
    { name: '10 000 callers, 1 key', keyCount: 1, callers: 10_000 },
    { name: '1 000 keys x 10 callers', keyCount: 1_000, callers: 10 },
  ];
  const rows = [];
  const data = [];
  for (const sc of scenarios) {
    /** @type {Map<string, { inst: any, counter: { runs: number }, runs: number[] }>} */
    const systems = new Map();
    for (const id of STAMPEDE_SYSTEMS) {
      const counter = { runs: 0 };
      const load = async (/** @type {string} */ key) => {
        counter.runs++;
        await sleep(LOADER_MS);
        return makeUser(idOf(key));
      };
      const inst = await adapter(id).create({ capacity: 50_000, ttl: 3_600_000, load });
      systems.set(id, { inst, counter, runs: [] });
    }
    const samples = await interleave(
      STAMPEDE_SYSTEMS,
      rounds,
      async (id, round) => {
        const s = /** @type {any} */ (systems.get(id));
        const r = await stampede(s.inst, s.counter, `r${round}`, sc.keyCount, sc.callers);
        if (round >= 0) s.runs.push(r.runs);
        return r.elapsed - LOADER_MS;
      },
      1,
    );
    for (const id of STAMPEDE_SYSTEMS) {
      const s = /** @type {any} */ (systems.get(id));
      const o = summarize(/** @type {number[]} */ (samples.get(id)));
      const runs = Math.max(...s.runs);
      rows.push([
        sc.name,
        adapter(id).label,
        `${runs}${runs === sc.keyCount ? '' : ` (expected ${sc.keyCount})`}`,
        fmt(o.median),
        fmt(o.min),
        fmt(o.max),
      ]);
      data.push({ scenario: sc.name, id, runs, expectedRuns: sc.keyCount, overhead: o });
      await s.inst.close();
    }
  }
  return {
    key: 'stampede',
    title: '(2) Stampede: concurrent misses with a 20 ms loader',
    description: `All calls issued at once on fresh keys, answers checked; overhead = time until every caller has its answer - ${LOADER_MS} ms (includes timer lateness). ${rounds} interleaved rounds after 1 warm-up round. Loader runs: the most seen in any round. quick-lru, no codec hands every caller the same object: the floor for a hand-written single-flight; systems that give each caller its own copy also pay for that copy.`,
    columns: ['Scenario', 'System', 'Loader runs', 'Overhead median (ms)', 'Min', 'Max'],
    rows,
    data,
  };
}
