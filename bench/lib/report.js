/** Writes bench/RESULTS.md from the workload sections and the targets. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/**
 * One workload's results, as every workload returns them.
 * @typedef {object} Section
 * @property {string} key
 * @property {string} title
 * @property {string} description
 * @property {string[]} columns
 * @property {string[][]} rows
 * @property {any} data
 *
 * One issue-5 target and whether this run met it.
 * @typedef {{ target: string, measured: string, met: boolean | undefined }} Target
 */

/** The machine line of the report. */
export function machine() {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} x ${cpus.length}, ${gib} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

const escape = (/** @type {string} */ cell) => String(cell).replaceAll('|', '\\|');

/** A markdown table. */
export function table(columns, rows) {
  const line = (/** @type {string[]} */ cells) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Renders and writes the report.
 * @param {string} path
 * @param {{ date: Date, sections: Section[], targets: Target[], chart: string | undefined, seconds: number, command: string, verified: string[], load: number[] }} run
 */
export function writeReport(
  path,
  { date, sections, targets, chart, seconds, command, verified, load },
) {
  const mark = (/** @type {boolean | undefined} */ met) =>
    met === undefined ? 'not measured' : met ? 'met' : '**not met**';
  const parts = [
    '# HydraCache benchmark results',
    '',
    `Run on ${date.toISOString().slice(0, 10)} (${date.toISOString()}) with \`${command}\`, ${seconds.toFixed(0)} s in total.`,
    '',
    `Machine: ${machine()}. Load average (1 min) at start / end: ${load.map((l) => l.toFixed(2)).join(' / ')} (other processes running during the run make timings noisier).`,
    '',
    `Correctness checks run first: ${verified.join('; ')}.`,
    '',
    'Each workload runs in its own process, with every system side by side in it and measured in',
    'interleaved rounds (memory: one child process per system). Every answer is checked against the',
    'expected value, so a broken adapter cannot look fast. Ratios compare with the bare quick-lru +',
    'cbor-x get-or-load baseline of the same run. Medians move between runs on a shared machine:',
    'read them with their min/max.',
    '',
    '## Targets (issues 5 and 9)',
    '',
    table(
      ['Target', 'Measured', 'Status'],
      targets.map((t) => [t.target, t.measured, mark(t.met)]),
    ),
    '',
  ];
  if (chart !== undefined) parts.push(`![Hit-path throughput vs baseline](${chart})`, '');
  for (const s of sections) {
    parts.push(`## ${s.title}`, '', s.description, '', table(s.columns, s.rows), '');
  }
  writeFileSync(path, parts.join('\n') + keptHistory(path));
}

/** The hand-written `## History` section of the report at `path` (kept across runs), or ''. */
function keptHistory(path) {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = old.indexOf('\n## History');
  return at < 0 ? '' : old.slice(at);
}
