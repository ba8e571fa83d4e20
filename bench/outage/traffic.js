import { OutageDatabase } from './database.js';

/**
 * Drives one system at a constant request rate through three phases (healthy, outage, recovered)
 * and records what its callers saw: errors, latency, and how often the database was called.
 * @param {import('./systems.js').SYSTEMS[number]} system
 * @param {{ fault: 'fail' | 'hang', rate: number, keys: number, phaseMs: [number, number, number],
 *   latencyMs: number, settings: import('./systems.js').Settings }} plan
 */
export async function runTraffic(system, plan) {
  const db = new OutageDatabase({ latencyMs: plan.latencyMs, fault: plan.fault });
  const target = system.create((key) => db.load(key), plan.settings);
  const [healthy, outage, recovered] = plan.phaseMs;
  const total = healthy + outage + recovered;
  /** @type {{ phase: number, ms: number, error: boolean }[]} */
  const results = [];
  const pending = [];
  const tickMs = 10;
  const perTick = (plan.rate * tickMs) / 1000;
  let sent = 0;
  let phase = 0;
  const started = performance.now();
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= total) break;
    const nextPhase = elapsed < healthy ? 0 : elapsed < healthy + outage ? 1 : 2;
    if (nextPhase !== phase) {
      if (nextPhase === 1) db.fail();
      if (nextPhase === 2) db.recover();
      phase = nextPhase;
    }
    // Catch up to the schedule: the request count follows wall time, not the loop's speed.
    const due = Math.floor((elapsed / tickMs) * perTick);
    for (; sent < due; sent++) {
      const key = `k${sent % plan.keys}`;
      const at = performance.now();
      const sentIn = phase;
      pending.push(
        target.read(key).then(
          () => results.push({ phase: sentIn, ms: performance.now() - at, error: false }),
          () => results.push({ phase: sentIn, ms: performance.now() - at, error: true }),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  if (db.down) db.recover();
  await Promise.all(pending);
  await target.close();
  return {
    requests: results.length,
    results,
    calls: db.calls,
    callsDuringOutage: db.callsDuringOutage,
  };
}

/** The q-th quantile (0..1) of `values`, in the same unit. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
