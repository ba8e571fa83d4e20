/**
 * Entry point of `npm run bench` (after `npm run build`; run with `node --expose-gc`).
 *   node --expose-gc bench/run.js [--quick] [--only=hit,stampede,tags,memory,decorator,soak]
 * Each workload runs in its own process (bench/run-one.js); this one verifies correctness first,
 * then writes bench/RESULTS.md and bench/hit-path.svg.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { WORKLOADS } from './workloads/index.js';
import { writeReport } from './lib/report.js';
import { writeBarChart } from './lib/chart.js';
import { evaluateTargets } from './lib/targets.js';
import { verifySharedStructures } from './verify/shared-structures.js';
import { verifyCopies } from './verify/copies.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
if (typeof (/** @type {any} */ (globalThis).gc) !== 'function') {
  console.warn('warning: run with node --expose-gc for stable memory numbers');
}

const RUN_ONE = fileURLToPath(new URL('./run-one.js', import.meta.url));

/** Runs one workload in its own process and returns its section (undefined when skipped). */
function runWorkload(name) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', RUN_ONE, name, quick ? 'quick' : 'full'],
    { encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out) ?? undefined;
}

const started = performance.now();
const loadBefore = os.loadavg();
// Correctness gates first: a fast but wrong configuration must not produce a report.
const verified = [await verifySharedStructures(), await verifyCopies()];
for (const line of verified) console.log(`verified: ${line}`);
/** @type {Map<string, import('./lib/report.js').Section>} */
const sections = new Map();
for (const name of Object.keys(WORKLOADS)) {
  if (only && !only.includes(name)) continue;
  const t = performance.now();
  process.stdout.write(`${name}... `);
  const section = runWorkload(name);
  if (section === undefined) {
    console.log('skipped (not available in dist/)');
    continue;
  }
  sections.set(section.key, section);
  console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const targets = evaluateTargets(sections);
const hit = sections.get('hit');
const chartPath = fileURLToPath(new URL('./hit-path.svg', import.meta.url));
if (hit) {
  writeBarChart(
    chartPath,
    hit.data.map((r) => ({ label: r.label, ratio: r.ratio, highlight: r.id.startsWith('hydra') })),
    'Warm get-or-load hits: throughput vs quick-lru + cbor-x (higher is better)',
  );
}
const seconds = (performance.now() - started) / 1000;
writeReport(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), {
  date: new Date(),
  sections: [...sections.values()],
  targets,
  chart: hit ? 'hit-path.svg' : undefined,
  seconds,
  verified,
  load: [loadBefore[0], os.loadavg()[0]],
  command: `node --expose-gc bench/run.js ${args.join(' ')}`.trim(),
});
for (const t of targets)
  console.log(
    `${t.met === undefined ? '-' : t.met ? 'met    ' : 'NOT MET'}  ${t.target}: ${t.measured}`,
  );
console.log(`bench/RESULTS.md written in ${seconds.toFixed(0)} s`);
