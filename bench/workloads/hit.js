/** Workload (1): warm get-or-load hits over 10 000 keys, read in a pseudo-random order. */
import { adapter } from '../adapters/index.js';
import { compileLoop, fmt, interleave, shuffledOrder, summarize } from '../lib/harness.js';
import { checkUser, dateKind, idOf, keys, makeUser } from '../lib/fixtures.js';

const KEYS = 10_000;
/** Capacity of every bounded system: well above the key count, so nothing is evicted. */
const CAPACITY = 10 * KEYS;
/** Length of the precomputed key order (a power of two, indexed with a mask). */
const ORDER_LENGTH = 1 << 16;

/** Systems measured on the hit path, baseline first. */
export const HIT_SYSTEMS = [
  'baseline',
  'hydra',
  'hydra-selfcontained',
  'hydra-nocopy',
  'baseline-shared',
  'quick-lru',
  'cache-manager',
  'bentocache',
  'async-cache-dedupe',
  'lru-cache',
];

/**
 * Per-iteration body: one awaited hit on the next key of the shuffled order, its answer checked.
 * Reading the keys in sequence instead would let each hit find the previous one's neighbours in
 * the CPU caches, which flatters stores that chase more pointers per hit.
 */
const BODY = `const id = order[i & ${ORDER_LENGTH - 1}]; const value = await call(id); if (value.id !== id) throw new Error('wrong answer');`;

/**
 * @param {{ rounds: number, sampleMs: number }} config sampleMs: target duration of one sample
 * @returns {Promise<import('../lib/report.js').Section>}
 */
export async function hitPath({ rounds, sampleMs }) {
  const names = keys('user:', KEYS);
  const order = shuffledOrder(ORDER_LENGTH, KEYS);
  /** @type {Map<string, { inst: any, loads: () => number, call: any, loop: any, ops: number }>} */
  const systems = new Map();
  for (const id of HIT_SYSTEMS) {
    let loads = 0;
    const load = (/** @type {string} */ key) => (loads++, makeUser(idOf(key)));
    const inst = await adapter(id).create({ capacity: CAPACITY, ttl: 3_600_000, load });
    for (const key of names) checkUser(await inst.getOrLoad(key), idOf(key));
    const call = (/** @type {number} */ id) => inst.getOrLoad(names[id]);
    const loop = compileLoop(BODY, { order });
    // Calibrate: size each system's samples to about `sampleMs`.
    const rate = await loop(call, 20_000);
    const ops = Math.max(20_000, Math.round((rate * sampleMs) / 1000));
    systems.set(id, { inst, loads: () => loads, call, loop, ops });
  }

  const samples = await interleave(
    HIT_SYSTEMS,
    rounds,
    async (id) => {
      const s = /** @type {{ call: any, loop: any, ops: number }} */ (systems.get(id));
      return s.loop(s.call, s.ops);
    },
    1,
  );

  const base = summarize(/** @type {number[]} */ (samples.get('baseline'))).median;
  const rows = [];
  for (const id of HIT_SYSTEMS) {
    const { inst, loads } = /** @type {{ inst: any, loads: () => number }} */ (systems.get(id));
    // Every answer was checked in the loop; check a full value, copying and that nothing reloaded.
    const a = await inst.getOrLoad(names[7]);
    const b = await inst.getOrLoad(names[7]);
    checkUser(a, 7);
    if (loads() !== KEYS)
      throw new Error(`${id}: ${loads()} loads for ${KEYS} keys (hits reloaded)`);
    const s = summarize(/** @type {number[]} */ (samples.get(id)));
    rows.push({
      id,
      label: adapter(id).label,
      how: adapter(id).how,
      median: s.median,
      min: s.min,
      max: s.max,
      ratio: s.median / base,
      copies: a !== b,
      date: dateKind(a),
    });
    await inst.close();
  }
  return {
    key: 'hit',
    title: '(1) Hit path: warm get-or-load over 10 000 keys in a pseudo-random order',
    description: `Each call awaited and its answer checked; keys in a fixed pseudo-random order (xorshift), capacity ${CAPACITY.toLocaleString('en-US')}; samples of ~${sampleMs} ms, ${rounds} interleaved rounds after 1 warm-up round; ops per CPU second of the process (CPU time, not wall time: other processes share the machine), higher is better; ratio = median / baseline median.`,
    columns: [
      'System',
      'Median ops per CPU s',
      'Min',
      'Max',
      'vs baseline',
      'Copies',
      'Date back as',
      'Call measured',
    ],
    rows: rows.map((r) => [
      r.label,
      fmt(r.median),
      fmt(r.min),
      fmt(r.max),
      `${r.ratio.toFixed(2)}x`,
      r.copies ? 'yes' : 'no (shared)',
      r.date,
      `\`${r.how}\``,
    ]),
    data: rows,
  };
}
