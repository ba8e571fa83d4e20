/**
 * `npm run bench:cluster` (after `npm run build`): invalidation propagation across 3 processes on
 * one Redis (REDIS_URL, default redis://127.0.0.1:6379), HydraCache's bus side by side with
 * bentocache's, then the hit path with and without a bus. Writes bench/cluster/RESULTS.md.
 *   KEYS=10000 (invalidations per measurement), ROUNDS=3 (alternating rounds per system),
 *   BASELINE_DIST=<dist dir of another build> (+ BASELINE_LABEL) adds that build as a third system,
 *   BUS_KEY=<32+ bytes> runs HydraCache's bus with a shared key.
 */
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { measureHitPath } from './hit-path.js';
import { formatResults } from './results.js';

const URL_ = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const KEYS = Number(process.env.KEYS ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WINDOW = 64;
const NODE = fileURLToPath(new URL('./node.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const children = new Set();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** A benchmark process and a way to send it one command at a time. */
function startNode(system, channel) {
  const child = fork(NODE, [system, URL_, channel, String(KEYS)]);
  children.add(child);
  child.once('exit', () => children.delete(child));
  const waiting = new Map();
  child.on('message', (message) => {
    const name = message.done ?? message.event;
    const resolve = waiting.get(name);
    if (!resolve) return;
    waiting.delete(name);
    resolve(message);
  });
  const next = (name, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${system}: no ${name} in time`)), timeoutMs);
      waiting.set(name, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`${system} ${name}: ${message.error}`));
        else resolve(message);
      });
    });
  return {
    ready: next('ready', 20_000),
    call: (command, args = {}) => {
      const done = next(command);
      child.send({ command, ...args });
      return done;
    },
    next,
  };
}

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One system: serial latency, then burst throughput, on 3 fresh processes. */
async function measureSystem(system) {
  const channel = `bench-cluster-${randomBytes(4).toString('hex')}`;
  const nodes = [0, 1, 2].map(() => startNode(system, channel));
  const [{ label }] = await Promise.all(nodes.map((node) => node.ready));
  const [publisher, ...receivers] = nodes;

  // Latency: one invalidation at a time, each awaited.
  await Promise.all(receivers.map((node) => node.call('fill', { prefix: 'k:' })));
  await settle(500); // Let what filling published (bentocache announces its sets) drain.
  await Promise.all(receivers.map((node) => node.call('watch')));
  let removed = receivers.map((node) => node.next('all-removed'));
  const { sent, endedAt: serialEnd } = await publisher.call('serial', { prefix: 'k:' });
  await Promise.all(removed);
  const latencies = [];
  const gcs = [];
  for (const node of receivers) {
    const report = await node.call('report');
    report.arrivals.forEach((arrival, i) => latencies.push(arrival - sent[i]));
    gcs.push(...report.gcs);
  }

  // Throughput: `WINDOW` invalidations in flight until all are out, timed to the last removal.
  await Promise.all(receivers.map((node) => node.call('fill', { prefix: 't:' })));
  await settle(500);
  await Promise.all(receivers.map((node) => node.call('watch')));
  removed = receivers.map((node) => node.next('all-removed'));
  const { startedAt, endedAt } = await publisher.call('burst', { prefix: 't:', window: WINDOW });
  await Promise.all(removed);
  let lastArrival = 0;
  for (const node of receivers) {
    const { arrivals } = await node.call('report');
    lastArrival = Math.max(lastArrival, ...arrivals);
  }
  const stats = await Promise.all(nodes.map(async (node) => (await node.call('stats')).stats));
  await Promise.all(nodes.map((node) => node.call('close').catch(() => undefined)));
  return {
    system,
    label,
    latencies,
    awaitedPerSecond: KEYS / ((serialEnd - sent[0]) / 1000),
    receiverGcs: gcs,
    publishedPerSecond: KEYS / ((endedAt - startedAt) / 1000),
    appliedPerSecond: KEYS / ((lastArrival - startedAt) / 1000),
    stats,
  };
}

async function redisReachable() {
  const redis = new Redis(URL_, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

if (!(await redisReachable())) {
  console.error(`Redis is not reachable at ${URL_}: start redis-server or set REDIS_URL.`);
  process.exit(1);
}
// Rounds alternate between the systems, so that a noisy stretch of the machine hits both alike.
const SYSTEMS = ['hydracache', ...(process.env.BASELINE_DIST ? ['baseline'] : []), 'bentocache'];
const rounds = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const system of SYSTEMS) {
    console.log(`round ${round}/${ROUNDS}: ${system}, ${KEYS} invalidations x 2 receivers...`);
    rounds.push({ round, ...(await measureSystem(system)) });
  }
}
console.log('hit path with and without a bus...');
const hitPath = await measureHitPath({
  url: URL_,
  channel: `bench-hit-${randomBytes(4).toString('hex')}`,
});
/** bench/cluster/alloc.js for one build: bytes and µs per invalidation, receive and publish. */
function allocation(dist) {
  const script = fileURLToPath(new URL('./alloc.js', import.meta.url));
  const flags = ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128'];
  return JSON.parse(execFileSync(process.execPath, [...flags, script, dist], { encoding: 'utf8' }));
}
console.log('allocation per invalidation...');
const allocations = [
  { label: 'this build', ...allocation(fileURLToPath(new URL('../../dist', import.meta.url))) },
  ...(process.env.BASELINE_DIST
    ? [
        {
          label: process.env.BASELINE_LABEL ?? 'baseline',
          ...allocation(process.env.BASELINE_DIST),
        },
      ]
    : []),
];
const text = formatResults({
  allocations,
  rounds,
  hitPath,
  keys: KEYS,
  window: WINDOW,
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}`,
});
writeFileSync(RESULTS, text);
console.log(text);
