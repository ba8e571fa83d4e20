/**
 * Runs one workload in this process and prints its section as JSON; `run.js` starts one of these
 * per workload, so every workload gets a fresh heap and fresh compiled code.
 *   node --expose-gc bench/run-one.js <workload> [quick]
 */
import { WORKLOADS } from './workloads/index.js';

const [name = '', mode] = process.argv.slice(2);
const run = WORKLOADS[name];
if (run === undefined) throw new Error(`unknown workload "${name}"`);
const section = await run(mode === 'quick');
process.stdout.write(JSON.stringify(section ?? null));
// Peers may leave timers behind (e.g. bentocache); the result is printed, so exit.
process.exit(0);
