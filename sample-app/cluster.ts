import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { formatClusterReport } from './cluster/cluster-report.js';
import { killAll, startInstances, stopAll } from './cluster/instances.js';
import { connectAdmin, removeDemoKeys } from './cluster/redis-admin.js';
import { runCluster } from './cluster/run-cluster.js';

/**
 * `npm run demo:cluster`: three sample-app processes on one Redis (REDIS_URL, default
 * redis://127.0.0.1:6379), a fresh bus channel and database namespace; an update on one must reach
 * the other two. Exits 1 when an instance still serves the old value, or Redis is not reachable.
 */
const url = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const suffix = randomBytes(4).toString('hex');
const channel = `cluster-demo-${suffix}`;
const namespace = `hydracache-cluster-demo-${suffix}`;
const children: ChildProcess[] = [];

process.once('exit', () => killAll(children));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the instances.`);
    void stopAll(children).finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  console.error('The cluster demo did not finish within 90 s.');
  process.exit(1); // The 'exit' handler kills the instances.
}, 90_000);
watchdog.unref();

async function main(): Promise<boolean> {
  let admin: Redis;
  try {
    admin = await connectAdmin(url);
  } catch (error) {
    console.error(
      `Redis is not reachable at ${url} (${error instanceof Error ? error.message : error}).\n` +
        'The cluster demo needs one: start redis-server, or set REDIS_URL to a running Redis.',
    );
    return false;
  }
  try {
    console.log(`Starting instances A, B and C on ${url}, channel "${channel}"...`);
    const env = { REDIS_URL: url, REDIS_CHANNEL: channel, DB_NAMESPACE: namespace };
    const instances = await startInstances(['A', 'B', 'C'], env, children);
    const report = await runCluster(instances);
    console.log(`\n${formatClusterReport(report, `Redis ${url}, channel "${channel}"`)}`);
    return report.problems.length === 0;
  } finally {
    await stopAll(children);
    await removeDemoKeys(admin, namespace, channel);
    admin.disconnect();
  }
}

main().then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
