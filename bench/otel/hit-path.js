/**
 * Hit-path cost of the observability events (issue 13): warm getOrLoad hits over 10 000 keys.
 *
 *   npm run build
 *   node --expose-gc bench/otel/hit-path.js [--before <dir>] [--rounds 9]
 *
 * Systems, each measured in a child process of its own, the processes alternating in rotated
 * order for `--rounds` rounds (so a busy machine slows every system alike):
 * - `before`: a build of the commit before the events (a directory holding its compiled
 *   index.js; see RESULTS.md for how to make it). Optional.
 * - `after`: this build, nobody subscribed to any channel (an app not using the bridge).
 * - `after+otel`: this build with the OpenTelemetry bridge enabled (metrics and tracing, SDK
 *   meter provider with an idle reader, SDK tracer provider) for the whole process.
 * Each child reports the median of its samples; the table gives the median, min and max of
 * those per-process medians.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, summarize } from '../lib/harness.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const beforeDir = option('--before', undefined);
const rounds = Number(option('--rounds', '9'));
const child = fileURLToPath(new URL('./hit-path.child.js', import.meta.url));

const systems = [...(beforeDir ? ['before'] : []), 'after', 'after+otel'];
/** @type {Map<string, number[]>} */
const medians = new Map(systems.map((s) => [s, []]));
for (let round = 0; round < rounds; round++) {
  const shift = round % systems.length;
  for (const system of [...systems.slice(shift), ...systems.slice(0, shift)]) {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', child, system, ...(beforeDir ? [beforeDir] : [])],
      { encoding: 'utf8' },
    );
    /** @type {number[]} */ (medians.get(system)).push(Number(out.trim()));
  }
}

const ref = summarize(/** @type {number[]} */ (medians.get(systems[0]))).median;
console.log(`| System | Median ops/s | Min | Max | vs ${systems[0]} |`);
console.log('| --- | --- | --- | --- | --- |');
for (const [id, s] of medians) {
  const { median, min, max } = summarize(s);
  console.log(
    `| ${id} | ${fmt(median)} | ${fmt(min)} | ${fmt(max)} | ${(median / ref).toFixed(3)}x |`,
  );
}
