/**
 * The same write loop as throughput.js run by `pgbench` (when it is on PATH), whose C client
 * takes less of the machine's CPU than Node's: `clients` connections, one statement per
 * transaction, for `seconds`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** True when `pgbench` runs. */
export function hasPgbench() {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Transactions per second of `script` (pgbench script text) against `url`. */
export function pgbenchTps(url, clients, seconds, script) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-pgbench-'));
  const file = path.join(dir, 'script.sql');
  writeFileSync(file, script);
  try {
    const out = execFileSync(
      'pgbench',
      ['-n', '-c', String(clients), '-j', '1', '-T', String(seconds), '-f', file, url],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const match = /tps = ([\d.]+)/.exec(out);
    if (!match) throw new Error(`pgbench printed no tps:\n${out}`);
    return Number(match[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
