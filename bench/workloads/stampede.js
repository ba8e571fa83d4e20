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
 * keys), awaits them all and checks every answer. Also counts the minor page faults meanwhile:
 * memory the process touches for the first time (fresh heap pages after a GC gave them back).
 * @returns {Promise<{ elapsed: number, runs: number, faults: number }>}
 */
async function stampede(inst, counter, prefix, keyCount, callers) {
  const before = counter.runs;
  const faultsBefore = process.resourceUsage().minorPageFault;
  const start = now();
  const pending = [];
  for (let c = 0; c < callers; c++) {
    for (let k = 0; k < keyCount; k++) pending.push(inst.getOrLoad(`${prefix}:user:${k}`));
  }
  const values = await Promise.all(pending);
  const elapsed = now() - start;
  const faults = process.resourceUsage().minorPageFault - faultsBefore;
  values.forEach((v, i) => checkUser(v, i % keyCount));
  return { elapsed, runs: counter.runs - before, faults };
}

/**
 * What one minor page fault costs on this machine, in microseconds: the median over rounds of
 * touching each page of a fresh 16 MiB buffer once. Typically about 1 us without a hypervisor;
 * much more under some virtual machines, where it dominates anything that allocates a lot at once.
 */
function pageFaultMicros() {
  const samples = [];
  for (let round = 0; round < 5; round++) {
    const buffer = Buffer.allocUnsafeSlow(16 << 20);
    const before = process.resourceUsage().minorPageFault;
    const start = now();
    for (let i = 0; i < buffer.length; i += 4096) buffer[i] = 1;
    const faults = process.resourceUsage().minorPageFault - before;
    if (faults > 0) samples.push(((now() - start) * 1000) / faults);
  }
  return samples.length === 0 ? undefined : summarize(samples).median;
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
    /** @type {Map<string, { inst: any, counter: { runs: number }, runs: number[], faults: number[] }>} */
    const systems = new Map();
    for (const id of STAMPEDE_SYSTEMS) {
      const counter = { runs: 0 };
      const load = async (/** @type {string} */ key) => {
        counter.runs++;
        await sleep(LOADER_MS);
        return makeUser(idOf(key));
      };
      const inst = await adapter(id).create({ capacity: 50_000, ttl: 3_600_000, load });
      systems.set(id, { inst, counter, runs: [], faults: [] });
    }
    const samples = await interleave(
      STAMPEDE_SYSTEMS,
      rounds,
      async (id, round) => {
        const s = /** @type {any} */ (systems.get(id));
        const r = await stampede(s.inst, s.counter, `r${round}`, sc.keyCount, sc.callers);
        if (round >= 0) {
          s.runs.push(r.runs);
          s.faults.push(r.faults);
        }
        return r.elapsed - LOADER_MS;
      },
      1,
    );
    for (const id of STAMPEDE_SYSTEMS) {
      const s = /** @type {any} */ (systems.get(id));
      const o = summarize(/** @type {number[]} */ (samples.get(id)));
      const runs = Math.max(...s.runs);
      const faults = summarize(s.faults).median;
      rows.push([
        sc.name,
        adapter(id).label,
        `${runs}${runs === sc.keyCount ? '' : ` (expected ${sc.keyCount})`}`,
        fmt(o.median),
        fmt(o.min),
        fmt(o.max),
        fmt(faults),
      ]);
      data.push({ scenario: sc.name, id, runs, expectedRuns: sc.keyCount, overhead: o, faults });
      await s.inst.close();
    }
  }
  const faultMicros = pageFaultMicros();
  for (const row of data) row.faultMicros = faultMicros;
  return {
    key: 'stampede',
    title: '(2) Stampede: concurrent misses with a 20 ms loader',
    description: `All calls issued at once on fresh keys, answers checked; overhead = time until every caller has its answer - ${LOADER_MS} ms (includes timer lateness). ${rounds} interleaved rounds after 1 warm-up round. Loader runs: the most seen in any round. quick-lru, no codec hands every caller the same object: the floor for a hand-written single-flight; systems that give each caller its own copy also pay for that copy. Page faults: median minor page faults during one sample (first touches of heap pages that the forced GC before each sample handed back); one costs ${faultMicros === undefined ? 'n/a' : fmt(faultMicros)} us on this machine (touching a fresh buffer), so faults x that cost is the part of the overhead spent in the kernel.`,
    columns: [
      'Scenario',
      'System',
      'Loader runs',
      'Overhead median (ms)',
      'Min',
      'Max',
      'Page faults',
    ],
    rows,
    data,
  };
}
