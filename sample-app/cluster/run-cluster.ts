import type { CacheBusStats } from '@hydracache/nestjs';
import { send } from '../demo/http-client.js';
import type { Instance } from './instances.js';
import { watchRemoval } from './propagation.js';

/** What one instance showed during the cluster scenario. */
export interface InstanceReport {
  readonly name: string;
  readonly url: string;
  /** The user's name served before and after the update. */
  readonly before: string;
  readonly after: string;
  readonly queries: number;
  readonly bus: CacheBusStats;
  /**
   * For the instances that did not take the update: ms from A's PATCH reply to the first poll
   * that found the entry gone (negative: gone before A's reply reached the client).
   */
  readonly propagationMs: number | undefined;
}

/** The whole scenario and its verdict. */
export interface ClusterReport {
  readonly instances: readonly InstanceReport[];
  readonly newName: string;
  readonly patchMs: number;
  readonly problems: readonly string[];
}

const USER_PATH = '/tenants/acme/users/1';
const USER_KEY = 'users:tenant:acme:user:1';

/**
 * Waits until every instance is on the bus, warms the same user on all, updates it through the
 * first, watches the others drop it, and reads it back everywhere.
 */
export async function runCluster(
  instances: readonly Instance[],
  deadlineMs = 5_000,
): Promise<ClusterReport> {
  const [writer, ...others] = instances;
  const newName = 'Ada King';
  await Promise.all(instances.map((instance) => onBus(instance, deadlineMs * 2)));

  const before = await Promise.all(instances.map((instance) => userName(instance)));

  let stop = false;
  const watching = others.map((instance) => watchRemoval(instance.url, USER_KEY, () => stop));
  const patch = await send(writer.url, 'PATCH', USER_PATH, { name: newName });
  const answeredAt = performance.now();
  const cutoff = setTimeout(() => (stop = true), deadlineMs);
  const removals = await Promise.all(watching);
  clearTimeout(cutoff);
  stop = true;

  const after = await Promise.all(instances.map((instance) => userName(instance)));
  const reports = await Promise.all(
    instances.map(async (instance, i): Promise<InstanceReport> => {
      const removal = i === 0 ? undefined : removals[i - 1];
      const goneAt = removal?.goneAt;
      return {
        name: instance.name,
        url: instance.url,
        before: before[i],
        after: after[i],
        ...(await counters(instance)),
        propagationMs: goneAt === undefined ? undefined : goneAt - answeredAt,
      };
    }),
  );
  const problems = [
    ...(patch.status === 200 ? [] : [`the PATCH through ${writer.name} answered ${patch.status}`]),
    ...reports
      .filter((report) => report.after !== newName)
      .map((report) => `${report.name} still serves "${report.after}" after the update`),
    ...others
      .filter((_, i) => removals[i].goneAt === undefined)
      .map((instance) => `${instance.name} still held the entry ${deadlineMs} ms after the update`),
  ];
  return { instances: reports, newName, patchMs: patch.ms, problems };
}

async function onBus(instance: Instance, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { bus } = (await send(instance.url, 'GET', '/cache/stats')).body as {
      bus?: CacheBusStats;
    };
    if (bus === undefined) throw new Error(`${instance.name} is not on a bus (REDIS_URL unset?)`);
    if (bus.connected) return;
    if (performance.now() > deadline) {
      throw new Error(`${instance.name} did not join the bus within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function userName(instance: Instance): Promise<string> {
  const reply = await send(instance.url, 'GET', USER_PATH);
  if (reply.status !== 200) throw new Error(`${instance.name} answered ${reply.status}`);
  return (reply.body as { name: string }).name;
}

async function counters(instance: Instance): Promise<{ queries: number; bus: CacheBusStats }> {
  const [cache, db] = await Promise.all([
    send(instance.url, 'GET', '/cache/stats'),
    send(instance.url, 'GET', '/db/stats'),
  ]);
  return {
    queries: (db.body as { queries: number }).queries,
    bus: (cache.body as { bus: CacheBusStats }).bus,
  };
}
