/**
 * Hit-path cost of the observability events (issue 13): warm getOrLoad hits over 10 000 keys,
 * interleaved rounds in one process, medians with min/max.
 *
 *   npm run build
 *   node --expose-gc bench/otel/hit-path.js [--before <dir>] [--bridge]
 *
 * Systems: `after` (this build, nobody subscribed), `before` (a build of the commit before the
 * events, given as a directory holding its compiled index.js; see RESULTS.md), and with
 * `--bridge` `after+otel` (the OpenTelemetry bridge enabled, metrics and tracing, around its own
 * samples only). Without `--bridge` no channel ever gets a subscriber in the process, as in an
 * application that does not use the bridge.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { compileLoop, fmt, interleave, summarize } from '../lib/harness.js';

const KEYS = 10_000;
const ROUNDS = Number(process.env.ROUNDS ?? 21);
const SAMPLE_MS = Number(process.env.SAMPLE_MS ?? 200);
const args = process.argv.slice(2);
const beforeDir = args.includes('--before') ? args[args.indexOf('--before') + 1] : undefined;
const withBridge = args.includes('--bridge');

/** A reader collected by nobody: the SDK records, nothing is exported. */
class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const after = await import(pathToFileURL(resolve('dist/index.js')).href);
const before = beforeDir
  ? await import(pathToFileURL(resolve(beforeDir, 'index.js')).href)
  : undefined;
const otel = withBridge
  ? await import(pathToFileURL(resolve('dist/otel/index.js')).href)
  : undefined;
const bridge = otel
  ? new otel.HydraCacheInstrumentation({
      meterProvider: new MeterProvider({ readers: [new IdleReader()] }),
      tracerProvider: new BasicTracerProvider(),
    })
  : undefined;

const names = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
const load = (/** @type {number} */ i) => ({ id: i, name: `user ${i}`, at: new Date(0) });
const BODY = `const v = await call(i); if (v.id !== i % ${KEYS}) throw new Error('wrong answer');`;

/** @param {any} HydraCache */
async function system(HydraCache) {
  const cache = new HydraCache({ maxCapacity: 2 * KEYS, defaultTtl: 3_600_000 });
  for (let i = 0; i < KEYS; i++) await cache.getOrLoad(names[i], {}, () => load(i));
  // A call function of its own per system (as compileLoop does for loops), so systems measured
  // side by side do not share one call site's type feedback.
  const call = new Function(
    'cache',
    'names',
    'load',
    `return (i) => cache.getOrLoad(names[i % ${KEYS}], {}, () => load(i));`,
  )(cache, names, load);
  const loop = compileLoop(BODY);
  const rate = await loop(call, 20_000);
  return { call, loop, ops: Math.max(20_000, Math.round((rate * SAMPLE_MS) / 1000)) };
}

/** @type {Map<string, { call: any, loop: any, ops: number }>} */
const systems = new Map();
systems.set('after', await system(after.HydraCache));
if (before) systems.set('before', await system(before.HydraCache));
if (bridge) systems.set('after+otel', await system(after.HydraCache));

const samples = await interleave(
  [...systems.keys()],
  ROUNDS,
  async (id) => {
    const s = /** @type {{ call: any, loop: any, ops: number }} */ (systems.get(id));
    if (id === 'after+otel') bridge.enable();
    try {
      return await s.loop(s.call, s.ops);
    } finally {
      if (id === 'after+otel') bridge.disable();
    }
  },
  2,
);

const ref = summarize(/** @type {number[]} */ (samples.get(before ? 'before' : 'after'))).median;
console.log(`| System | Median ops/s | Min | Max | vs ${before ? 'before' : 'after'} |`);
console.log('| --- | --- | --- | --- | --- |');
for (const [id, s] of samples) {
  const { median, min, max } = summarize(s);
  console.log(
    `| ${id} | ${fmt(median)} | ${fmt(min)} | ${fmt(max)} | ${(median / ref).toFixed(3)}x |`,
  );
}
