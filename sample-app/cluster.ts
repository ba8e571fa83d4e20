import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { formatClusterReport } from './cluster/cluster-report.js';
import { killAll, startInstances, stopAll } from './cluster/instances.js';
import { runCluster } from './cluster/run-cluster.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres.js';
import { quoteIdent } from './database/schema.js';

/**
 * `npm run demo:cluster`: three sample-app processes on one database; a write through one of
 * them, then a write from outside the app (SQL, as psql would), must reach all three. The
 * database is `DATABASE_URL` (in a fresh schema, dropped afterwards) or, unset, a PGlite served
 * from this process. With `REDIS_URL` set the instances also join a fresh Redis bus channel.
 * Exits 1 when an instance still serves an old value.
 */
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const redisUrl = process.env.REDIS_URL?.trim() || undefined;
const suffix = randomBytes(4).toString('hex');
const schema = databaseUrl === undefined ? 'public' : `cluster_demo_${suffix}`;
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
  const embedded: EmbeddedPostgres | undefined =
    databaseUrl === undefined ? await startEmbeddedPostgres() : undefined;
  const url = databaseUrl ?? embedded!.url;
  const psql = new pg.Client({
    connectionString: url,
    ...(schema === 'public' ? {} : { options: `-c search_path=${schema}` }),
  });
  try {
    const where =
      embedded === undefined ? `${url}, schema "${schema}"` : `embedded PGlite at ${url}`;
    const bus = redisUrl === undefined ? 'no bus' : `Redis bus at ${redisUrl}`;
    console.log(`Starting instances A, B and C on ${where} (${bus})...`);
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: url,
      DB_SCHEMA: schema,
      ...(redisUrl === undefined
        ? {}
        : { REDIS_URL: redisUrl, REDIS_CHANNEL: `cluster-${suffix}` }),
    };
    // One first, so it creates and seeds the tables; then the other two.
    const [a] = await startInstances(['A'], env, children);
    const others = await startInstances(['B', 'C'], env, children);
    await psql.connect();
    const report = await runCluster(
      [a!, ...others],
      async (statement) => (await psql.query(statement)).rowCount ?? 0,
    );
    console.log(`\n${formatClusterReport(report, `${where}, ${bus}`)}`);
    return report.problems.length === 0;
  } finally {
    await stopAll(children);
    if (embedded === undefined) {
      await psql.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => {});
    }
    await psql.end().catch(() => {});
    await embedded?.stop();
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
