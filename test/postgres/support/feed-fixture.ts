import { HydraCache, rowTag, tableTag } from '@hydracache/nestjs';
import { postgresChanges, type PostgresChangesOptions } from '@hydracache/nestjs/postgres';
import { pollUntil } from '../../support/poll.js';

/** A cache and its feed; `close()` closes both. */
export interface FeedInstance {
  readonly cache: HydraCache;
  readonly feed: ReturnType<typeof postgresChanges>;
  close(): Promise<void>;
}

/** Builds a cache fed by `postgresChanges(options)` and waits until the feed has connected. */
export async function feedInstance(
  options: PostgresChangesOptions,
  name = 'pg-test',
): Promise<FeedInstance> {
  const feed = postgresChanges({ pollInterval: 50, ...options });
  const cache = HydraCache.local().name(name).changes(feed).build();
  await pollUntil(() => feed.stats().connected, 'the feed to connect');
  return { cache, feed, close: () => cache.close() };
}

/** Puts a marker entry tagged with `users` row `id`, to watch for its invalidation. */
export async function putRow(cache: HydraCache, table: string, id: unknown): Promise<string> {
  const key = `${table}:${JSON.stringify(id)}`;
  await cache.put(key, 'cached', { tags: [rowTag(table, id as never)] });
  return key;
}

/** Puts a marker entry tagged with the table tag. */
export async function putTable(cache: HydraCache, table: string): Promise<string> {
  const key = `${table}:list`;
  await cache.put(key, 'cached', { tags: [tableTag(table)] });
  return key;
}

/** Waits until `key` is gone from `cache`. */
export async function gone(cache: HydraCache, key: string, what = key): Promise<void> {
  await pollUntil(async () => (await cache.get(key)) === undefined, `${what} to be invalidated`);
}
