/**
 * The measuring loop shared by bench/otel/hit-path.js and the `observability` workload: each
 * system runs in a child process of its own (bench/otel/hit-path.child.js), the processes
 * alternating in rotated order for `rounds` rounds, so a busy machine slows every system alike.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./hit-path.child.js', import.meta.url));

/**
 * Per-process median hit rates (ops/s) of each system, in the order the systems are given.
 * @param {string[]} systems ids the child knows: `before`, `after`, `after+otel`
 * @param {number} rounds
 * @param {string | undefined} beforeDir the compiled `before` build, when `before` is measured
 * @returns {Map<string, number[]>}
 */
export function measureRounds(systems, rounds, beforeDir) {
  /** @type {Map<string, number[]>} */
  const medians = new Map(systems.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    const shift = round % systems.length;
    for (const system of [...systems.slice(shift), ...systems.slice(0, shift)]) {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', CHILD, system, ...(beforeDir ? [beforeDir] : [])],
        { encoding: 'utf8' },
      );
      /** @type {number[]} */ (medians.get(system)).push(Number(out.trim()));
    }
  }
  return medians;
}
