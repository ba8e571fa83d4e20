/**
 * HTTP benchmark: `npm run build && node bench/http/run.js [--quick]`. Each variant's server runs
 * in its own process (server.js); load comes from autocannon in this process, over loopback.
 *   1. hits: requests/s and p99 on one warmed cached route, variants interleaved per round;
 *   2. stampede: CONCURRENT simultaneous requests for a cold key of the slow route, several
 *      keys per variant: how often the handler ran, and p99 of those requests.
 * Writes bench/http/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import * as prettier from 'prettier';

const quick = process.argv.includes('--quick');
const VARIANTS = ['hydracache', 'cache-manager', 'none'];
const ROUNDS = quick ? 1 : 7;
const SECONDS = quick ? 3 : 5;
const CONNECTIONS = 32;
const CONCURRENT = 200;
const COLD_KEYS = quick ? 2 : 5;
/** Size of the benchmark page as sent (server.js builds it; 12 items of ~80 bytes). */
const PAGE_BYTES = 975;
const SERVER = fileURLToPath(new URL('./server.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

/** Starts one variant's server and resolves with its port and a stop function. */
function startServer(variant) {
  const child = spawn(process.execPath, [SERVER, variant], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${variant} server exited (${code})`)));
    child.stdout.on('data', (chunk) => {
      const port = /port (\d+)/.exec(String(chunk))?.[1];
      if (port === undefined) return;
      child.removeAllListeners('exit');
      const stop = () =>
        new Promise((done) => {
          child.once('exit', done);
          child.kill('SIGTERM');
        });
      resolve({ port: Number(port), stop });
    });
  });
}

function cannon(options) {
  return new Promise((resolve, reject) =>
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

function getJson(port, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      })
      .on('error', reject);
  });
}

/** One timed request with its own connection; resolves with its latency in ms. */
function timedGet(port, path) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - start));
      })
      .on('error', reject);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function hitRound(variant) {
  const server = await startServer(variant);
  try {
    const url = `http://127.0.0.1:${server.port}/items/1`;
    await cannon({ url, connections: CONNECTIONS, duration: 1 }); // warm-up, fills the cache
    const before = await getJson(server.port, '/cpu');
    const r = await cannon({ url, connections: CONNECTIONS, duration: SECONDS });
    const after = await getJson(server.port, '/cpu');
    const runs = await getJson(server.port, '/handler-runs');
    // Server CPU time per request: what contention from other processes distorts least.
    const cpuUs = after.user + after.system - before.user - before.system;
    return {
      rps: r.requests.average,
      p99: r.latency.p99,
      cpuPerRequest: cpuUs / r.requests.total,
      errors: r.errors + r.non2xx,
      runs: runs.items,
    };
  } finally {
    await server.stop();
  }
}

async function stampede(variant) {
  const server = await startServer(variant);
  try {
    const latencies = [];
    for (let key = 0; key < COLD_KEYS; key++) {
      const path = `/slow/${key}`;
      latencies.push(
        ...(await Promise.all(
          Array.from({ length: CONCURRENT }, () => timedGet(server.port, path)),
        )),
      );
    }
    const runs = await getJson(server.port, '/handler-runs');
    latencies.sort((a, b) => a - b);
    return {
      runsPerKey: runs.slow / COLD_KEYS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await server.stop();
  }
}

const hits = Object.fromEntries(VARIANTS.map((v) => [v, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, and the order rotates each round, so drift (thermal, other load) spreads evenly.
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
  for (const variant of order) {
    const result = await hitRound(variant);
    hits[variant].push(result);
    console.log(
      `round ${round + 1} ${variant}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.cpuPerRequest.toFixed(0)} µs CPU/req`,
    );
  }
}
const stampedes = {};
for (const variant of VARIANTS) {
  stampedes[variant] = await stampede(variant);
  console.log(`stampede ${variant}:`, stampedes[variant]);
}

/** CPU per hit of each variant against cache-manager's, per round (same round, same load). */
function cpuRatios() {
  const peer = hits['cache-manager'];
  return VARIANTS.filter((v) => v !== 'cache-manager').map((v) => {
    const ratios = hits[v].map((r, i) => r.cpuPerRequest / peer[i].cpuPerRequest);
    return `- ${v} / cache-manager, server CPU per request: **${median(ratios).toFixed(2)}x** (median of rounds; per round ${ratios.map((x) => x.toFixed(2)).join(', ')})`;
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const lines = [
  '# HTTP edge benchmark',
  '',
  `Generated by \`node bench/http/run.js${quick ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}:`,
  `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Express adapter.`,
  'Server and load generator (autocannon) are separate processes on loopback, sharing the same cores,',
  'so absolute numbers are low and only the comparison within one run means anything. Server CPU',
  'time per request (process.cpuUsage around the timed run) is the column least distorted when',
  'other processes compete for the cores; req/s and p99 move with that competition.',
  `Load average when the run ended: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}.`,
  '',
  `## Hits: one warmed cached route (\`GET /items/1\`, ${PAGE_BYTES} bytes of JSON)`,
  '',
  `${CONNECTIONS} connections, ${SECONDS} s per sample, ${ROUNDS} interleaved round(s); median of rounds.`,
  'hydracache is the only interceptor of the route, so it stores the JSON text once and writes it',
  "on every hit (docs/http.md); cache-manager's CacheInterceptor decodes the stored value and Nest",
  'serializes it again (JSON, ETag); none runs the handler (builds the page) every time.',
  '',
  '| variant | server CPU µs/request (median) | req/s (median) | req/s per round | p99 ms (median) | handler runs | errors |',
  '|---|---:|---:|---|---:|---:|---:|',
  ...VARIANTS.map((v) => {
    const rs = hits[v];
    return `| ${v} | ${median(rs.map((r) => r.cpuPerRequest)).toFixed(0)} | ${fmt(median(rs.map((r) => r.rps)))} | ${rs.map((r) => fmt(r.rps)).join(', ')} | ${median(rs.map((r) => r.p99))} | ${rs.map((r) => r.runs).join(', ')} | ${rs.reduce((s, r) => s + r.errors, 0)} |`;
  }),
  '',
  ...cpuRatios(),
  '',
  `## Stampede: ${CONCURRENT} simultaneous requests per cold key (\`GET /slow/:id\`, 20 ms handler)`,
  '',
  `${COLD_KEYS} cold keys per variant, one connection per request.`,
  '',
  '| variant | handler runs per cold key | p50 ms | p99 ms |',
  '|---|---:|---:|---:|',
  ...VARIANTS.map((v) => {
    const s = stampedes[v];
    return `| ${v} | ${s.runsPerKey} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} |`;
  }),
  '',
];
// Formatted as `npm run lint` checks it (prettier aligns the tables).
const config = await prettier.resolveConfig(RESULTS);
writeFileSync(RESULTS, await prettier.format(lines.join('\n'), { ...config, filepath: RESULTS }));
console.log(`wrote ${RESULTS}`);
