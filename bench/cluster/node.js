/**
 * One process of the propagation benchmark, driven by bench/cluster/run.js over IPC.
 *   argv: <system> <url> <channel> <keys>
 * Commands (parent -> child), each answered with { done: command, ...result }:
 *   fill { prefix }         hold `<prefix><i>` for i < keys, loaded locally (publishes nothing)
 *   watch { prefix }        start recording when each `<prefix><i>` is removed by another instance
 *   report                  { arrivals, gcs }: the removal times, in order of i (undefined if
 *                           never), and the durations of the GCs since `watch`
 *   serial { prefix }       invalidate the keys one at a time, awaiting each: { sent, endedAt } times
 *   burst { prefix, window} invalidate them with `window` in flight: { startedAt, endedAt }
 *   stats, close
 * Times are `performance.timeOrigin + performance.now()`: one clock for every process on the machine.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import * as systems from './systems.js';

const [system, url, channel, keysText] = process.argv.slice(2);
const keys = Number(keysText);
const now = () => performance.timeOrigin + performance.now();
const keyIndex = (key) => Number(/(\d+)$/.exec(key)[1]);
const names = (prefix) => Array.from({ length: keys }, (_, i) => `${prefix}${i}`);

const cache = await systems[system]({ url, channel, expected: keys, keyIndex });
let arrivals = [];
let remaining = 0;
/** Garbage collections since the last `watch`: how often and how long this process stopped. */
let gcs = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => e.duration))).observe({
  entryTypes: ['gc'],
});

const commands = {
  async fill({ prefix }) {
    await cache.fill(names(prefix));
  },
  async watch() {
    arrivals = new Array(keys);
    remaining = keys;
    gcs = [];
    cache.onRemoval = (i) => {
      if (arrivals[i] !== undefined) return;
      arrivals[i] = now();
      if (--remaining === 0) process.send({ event: 'all-removed' });
    };
  },
  async report() {
    return { arrivals: Array.from(arrivals, (t) => t ?? null), gcs };
  },
  async serial({ prefix }) {
    const sent = new Array(keys);
    for (let i = 0; i < keys; i++) {
      sent[i] = now();
      await cache.invalidate(`${prefix}${i}`);
    }
    return { sent, endedAt: now() };
  },
  async burst({ prefix, window }) {
    const startedAt = now();
    let next = 0;
    const worker = async () => {
      while (next < keys) await cache.invalidate(`${prefix}${next++}`);
    };
    await Promise.all(Array.from({ length: window }, worker));
    return { startedAt, endedAt: now() };
  },
  async stats() {
    return { stats: cache.stats() ?? null, label: cache.label };
  },
  async close() {
    await cache.close();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async ({ command, ...args }) => {
  try {
    process.send({ done: command, ...((await commands[command](args)) ?? {}) });
  } catch (error) {
    process.send({ done: command, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ event: 'ready', label: cache.label });
