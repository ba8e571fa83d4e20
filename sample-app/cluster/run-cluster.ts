import { send } from '../demo/http-client.js';
import type { Instance } from './instances.js';
import { watchRemoval } from './propagation.js';

/** What one instance showed during the cluster scenario. */
export interface InstanceReport {
  readonly name: string;
  readonly url: string;
  /** The user's name served before the writes, after the PATCH, after the psql UPDATE. */
  readonly names: readonly [string, string, string];
  readonly queries: number;
  /** Invalidations this instance applied from the change feed or the bus. */
  readonly remoteChanges: number;
  /**
   * Per write, ms from the write's reply to the first poll that found this instance's entry gone
   * (negative: gone before the reply reached the client); undefined when it was never seen gone,
   * or for the instance that took the PATCH (it invalidates its own entry before answering).
   */
  readonly goneMs: readonly [number | undefined, number | undefined];
}

/** The whole scenario and its verdict. */
export interface ClusterReport {
  readonly instances: readonly InstanceReport[];
  readonly problems: readonly string[];
}

/** Runs one SQL statement on the database, not through any instance (as psql would). */
export type SqlRunner = (statement: string) => Promise<number>;

const USER_PATH = '/tenants/acme/users/1';
const USER_KEY = 'users:tenant:acme:user:1';
/** The names the two writes give the user. */
export const PATCHED_NAME = 'Ada King';
export const PSQL_NAME = 'Ada Byron';

/**
 * Caches the same user on every instance, updates it through the first (PATCH), watches the
 * others drop it; caches it again everywhere, updates it with SQL outside the app, and watches
 * every instance drop it. Each read-back must show the write.
 */
export async function runCluster(
  instances: readonly Instance[],
  sql: SqlRunner,
  deadlineMs = 5_000,
): Promise<ClusterReport> {
  const [writer] = instances;
  const problems: string[] = [];
  const before = await readEverywhere(instances);

  const patch = await watchWrite(instances.slice(1), deadlineMs, async () => {
    const reply = await send(writer.url, 'PATCH', USER_PATH, { name: PATCHED_NAME });
    if (reply.status !== 200)
      problems.push(`the PATCH through ${writer.name} answered ${reply.status}`);
  });
  const afterPatch = await readEverywhere(instances);

  const psql = await watchWrite(instances, deadlineMs, async () => {
    await sql(`UPDATE users SET name = '${PSQL_NAME}' WHERE tenant = 'acme' AND id = 1`);
  });
  const afterPsql = await readEverywhere(instances);

  const reports = await Promise.all(
    instances.map(async (instance, i): Promise<InstanceReport> => {
      const patchGone = i === 0 ? undefined : patch[i - 1];
      return {
        name: instance.name,
        url: instance.url,
        names: [before[i], afterPatch[i], afterPsql[i]],
        ...(await counters(instance)),
        goneMs: [patchGone, psql[i]],
      };
    }),
  );
  for (const report of reports) {
    if (report.names[1] !== PATCHED_NAME)
      problems.push(`${report.name} served "${report.names[1]}" after the PATCH`);
    if (report.names[2] !== PSQL_NAME)
      problems.push(`${report.name} served "${report.names[2]}" after the psql UPDATE`);
  }
  for (const [i, report] of reports.entries()) {
    if (i > 0 && report.goneMs[0] === undefined)
      problems.push(`${report.name} still held the entry ${deadlineMs} ms after the PATCH`);
    if (report.goneMs[1] === undefined)
      problems.push(`${report.name} still held the entry ${deadlineMs} ms after the psql UPDATE`);
  }
  return { instances: reports, problems };
}

/**
 * Runs `write` while polling each of `watched` for the user's entry to go; resolves per instance
 * with ms from the write's completion to the entry found gone (undefined: not within the deadline).
 */
async function watchWrite(
  watched: readonly Instance[],
  deadlineMs: number,
  write: () => Promise<void>,
): Promise<(number | undefined)[]> {
  let stop = false;
  const watching = watched.map((instance) => watchRemoval(instance.url, USER_KEY, () => stop));
  await write();
  const doneAt = performance.now();
  const cutoff = setTimeout(() => (stop = true), deadlineMs);
  const removals = await Promise.all(watching);
  clearTimeout(cutoff);
  stop = true;
  return removals.map((removal) =>
    removal.goneAt === undefined ? undefined : removal.goneAt - doneAt,
  );
}

/** Reads the user on every instance (caching it there) and returns the names served. */
function readEverywhere(instances: readonly Instance[]): Promise<string[]> {
  return Promise.all(
    instances.map(async (instance) => {
      const reply = await send(instance.url, 'GET', USER_PATH);
      if (reply.status !== 200) throw new Error(`${instance.name} answered ${reply.status}`);
      return (reply.body as { name: string }).name;
    }),
  );
}

async function counters(instance: Instance): Promise<{ queries: number; remoteChanges: number }> {
  const [cache, db] = await Promise.all([
    send(instance.url, 'GET', '/cache/stats'),
    send(instance.url, 'GET', '/db/stats'),
  ]);
  return {
    queries: (db.body as { queries: number }).queries,
    remoteChanges: (cache.body as { remoteChanges: number }).remoteChanges,
  };
}
