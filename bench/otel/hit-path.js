/**
 * Hit-path cost of the observability events (issue 13): warm getOrLoad hits over 10 000 keys.
 *
 *   npm run build
 *   node --expose-gc bench/otel/hit-path.js [--before <dir>] [--rounds 9]
 *
 * Systems, each measured in a child process of its own, the processes alternating in rotated
 * order for `--rounds` rounds (so a busy machine slows every system alike):
 * - `before`: a build of the commit before the events (a directory holding its compiled
 *   index.js; the History section of bench/RESULTS.md says how to make one). Optional.
 * - `after`: this build, nobody subscribed to any channel (an app not using the bridge).
 * - `after+otel`: this build with the OpenTelemetry bridge enabled (metrics and tracing, SDK
 *   meter provider with an idle reader, SDK tracer provider) for the whole process.
 * Each child reports the median of its samples; the table gives the median, min and max of
 * those per-process medians.
 */
import { fmt, summarize } from '../lib/harness.js';
import { measureRounds } from './rounds.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const beforeDir = option('--before', undefined);
const rounds = Number(option('--rounds', '9'));

const systems = [...(beforeDir ? ['before'] : []), 'after', 'after+otel'];
const medians = measureRounds(systems, rounds, beforeDir);

const ref = summarize(/** @type {number[]} */ (medians.get(systems[0]))).median;
console.log(`| System | Median ops/s | Min | Max | vs ${systems[0]} |`);
console.log('| --- | --- | --- | --- | --- |');
for (const [id, s] of medians) {
  const { median, min, max } = summarize(s);
  console.log(
    `| ${id} | ${fmt(median)} | ${fmt(min)} | ${fmt(max)} | ${(median / ref).toFixed(3)}x |`,
  );
}
