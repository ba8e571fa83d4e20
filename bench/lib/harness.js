/** Measurement harness: interleaved rounds, summaries (median/min/max) and ratios. */

/** Runs a full garbage collection when node was started with --expose-gc. */
export function gc() {
  const collect = /** @type {any} */ (globalThis).gc;
  if (typeof collect === 'function') collect();
}

/** High-resolution milliseconds. */
export const now = () => performance.now();

/**
 * CPU milliseconds this process has used (user + system, all its threads). Throughput loops are
 * timed with it: on a shared machine a sample's wall time mostly measures how much of a core the
 * scheduler granted, while CPU time measures the work done.
 */
export const cpuNow = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/**
 * Runs `sample(system, round)` for every system in every round. The order rotates each round so
 * no system always runs first (warm caches, JIT state and GC debt are spread evenly). Rounds
 * before `warmup` are run but not kept (round numbers stay distinct: they start at -warmup).
 * @template S
 * @param {S[]} systems
 * @param {number} rounds
 * @param {(system: S, round: number) => Promise<number>} sample one measurement (a number)
 * @param {number} [warmup] rounds run first and discarded
 * @returns {Promise<Map<S, number[]>>} samples per system, in round order
 */
export async function interleave(systems, rounds, sample, warmup = 0) {
  /** @type {Map<S, number[]>} */
  const out = new Map(systems.map((s) => [s, []]));
  for (let w = -warmup; w < 0; w++) {
    for (const system of systems) {
      gc();
      await sample(system, w);
    }
  }
  for (let round = 0; round < rounds; round++) {
    const shift = round % systems.length;
    const order = [...systems.slice(shift), ...systems.slice(0, shift)];
    for (const system of order) {
      gc();
      /** @type {number[]} */ (out.get(system)).push(await sample(system, round));
    }
  }
  return out;
}

/**
 * Median, min and max of samples.
 * @param {number[]} samples
 * @returns {{ median: number, min: number, max: number, n: number }}
 */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/**
 * A loop of `count` sequential awaited `call(i)`s returning its throughput in ops per CPU second
 * of the process (see {@link cpuNow}). Each call of
 * this factory compiles its own copy of the loop, so systems measured side by side do not share
 * (and pollute) one call site's type feedback.
 * @param {string} body statement run per iteration; sees `i` and the names in `scope`, and may
 *   await `call(...)`
 * @param {Record<string, unknown>} [scope] constants the body may read (e.g. a key order)
 * @returns {(call: any, count: number) => Promise<number>}
 */
export function compileLoop(body, scope = {}) {
  return /** @type {any} */ (
    new Function(
      'now',
      ...Object.keys(scope),
      `return async function loop(call, count) {
        const start = now();
        for (let i = 0; i < count; i++) { ${body} }
        return (count * 1000) / (now() - start);
      };`,
    )(cpuNow, ...Object.values(scope))
  );
}

/**
 * `length` pseudo-random integers in [0, range), the same on every run (xorshift32, fixed seed):
 * a key order with no locality for caches or the branch predictor to exploit.
 * @param {number} length
 * @param {number} range
 * @returns {Int32Array}
 */
export function shuffledOrder(length, range) {
  const out = new Int32Array(length);
  let x = 2463534242;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x % range;
  }
  return out;
}

/** Formats a number with a fixed number of significant digits for tables. */
export function fmt(n, digits = 3) {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 10 ** digits) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
