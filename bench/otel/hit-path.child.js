/**
 * One system of bench/otel/hit-path.js, in a process of its own: prints the median ops/s of its
 * samples of warm getOrLoad hits. Usage: hit-path.child.js <before|after|after+otel> [beforeDir]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { compileLoop, gc, summarize } from '../lib/harness.js';

const KEYS = 10_000;
const SAMPLES = 7;
const SAMPLE_MS = 100;
const [system, beforeDir] = process.argv.slice(2);

/** A reader collected by nobody: the SDK records, nothing is exported. */
class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const dist = system === 'before' ? resolve(beforeDir) : resolve('dist');
const { HydraCache } = await import(pathToFileURL(resolve(dist, 'index.js')).href);
if (system === 'after+otel') {
  const { HydraCacheInstrumentation } = await import(
    pathToFileURL(resolve('dist/otel/index.js')).href
  );
  new HydraCacheInstrumentation({
    meterProvider: new MeterProvider({ readers: [new IdleReader()] }),
    tracerProvider: new BasicTracerProvider(),
  }).enable();
}

const names = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
const load = (/** @type {number} */ i) => ({ id: i, name: `user ${i}`, at: new Date(0) });
const cache = new HydraCache({ maxCapacity: 2 * KEYS, defaultTtl: 3_600_000 });
for (let i = 0; i < KEYS; i++) await cache.getOrLoad(names[i], {}, () => load(i));
const call = (/** @type {number} */ i) => cache.getOrLoad(names[i % KEYS], {}, () => load(i));
const loop = compileLoop(
  `const v = await call(i); if (v.id !== i % ${KEYS}) throw new Error('wrong answer');`,
);
const rate = await loop(call, 50_000); // warm-up and calibration
const ops = Math.max(20_000, Math.round((rate * SAMPLE_MS) / 1000));
const samples = [];
for (let s = 0; s < SAMPLES; s++) {
  gc();
  samples.push(await loop(call, ops));
}
if (cache.stats().loads !== KEYS) throw new Error('a hit reloaded');
console.log(summarize(samples).median);
