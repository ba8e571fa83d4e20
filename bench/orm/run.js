/**
 * ORM benchmarks: `npm run bench:orm [-- <name>...] [-- --quick]`. Runs every bench/orm/*.bench.js
 * (or only those whose name is given) in its own process, one after the other, and writes each
 * one's section into bench/orm/RESULTS.md between `<!-- bench:<name> -->` markers, keeping the
 * sections of benches not run this time.
 *
 * A bench file is a script: it takes `--quick`, logs progress to stderr, and prints its results
 * as one JSON line `{"markdown": "..."}` last on stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = `${DIR}RESULTS.md`;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((arg) => !arg.startsWith('--'));

const benches = readdirSync(DIR)
  .filter((file) => file.endsWith('.bench.js'))
  .map((file) => file.slice(0, -'.bench.js'.length))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
if (benches.length === 0) throw new Error(`No bench/orm/*.bench.js matches ${only.join(', ')}`);

/** Runs one bench file; resolves with its markdown section. */
function runBench(name) {
  const child = spawn(process.execPath, [`${DIR}${name}.bench.js`, ...(quick ? ['--quick'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${name}.bench.js exited with ${code}`));
      resolve(JSON.parse(last).markdown);
    });
  });
}

const HEADER = `# ORM adapter benchmarks

Each section comes from one bench/orm/*.bench.js, run in its own process against the real
database servers of the machine (\`npm run bench:orm\`). Ratios compare systems measured in the
same run; medians move between runs on a shared machine, so read them with their min/max.
`;

let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : HEADER;
for (const name of benches) {
  const started = Date.now();
  process.stderr.write(`bench:orm ${name}...\n`);
  const body = await runBench(name);
  const load = os.loadavg()[0].toFixed(2);
  const section =
    `<!-- bench:${name} -->\n${body.trim()}\n\n` +
    `_Run ${new Date().toISOString()}${quick ? ' (--quick)' : ''}, ${Math.round((Date.now() - started) / 1000)} s; ` +
    `${os.cpus().length} CPUs, Node ${process.version}, load average (1 min) at the end ${load}._\n` +
    `<!-- /bench:${name} -->`;
  const start = text.indexOf(`<!-- bench:${name} -->`);
  const endMarker = `<!-- /bench:${name} -->`;
  const end = text.indexOf(endMarker);
  text =
    start === -1 || end === -1
      ? `${text.trimEnd()}\n\n${section}\n`
      : `${text.slice(0, start)}${section}${text.slice(end + endMarker.length)}`;
  // Formatted as `npm run lint` checks it (prettier aligns the tables).
  const config = await prettier.resolveConfig(RESULTS);
  text = await prettier.format(text, { ...config, filepath: RESULTS });
  writeFileSync(RESULTS, text);
}
process.stderr.write(`bench:orm wrote ${RESULTS}\n`);
