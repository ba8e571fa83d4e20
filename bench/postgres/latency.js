/**
 * Commit -> applied latency: one writer updates one row at a time (autocommit) and times until
 * every instance's feed has applied it (its `applied` event on the `hydracache:postgres` channel).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { HydraCache } from '../../dist/index.js';
import { POSTGRES_FEED_CHANNEL, postgresChanges } from '../../dist/postgres/index.js';

/** The `q` quantile of sorted `values`. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** p50/p99/max of `samples` writes seen by `instances` caches, each fed by `feedOptions`. */
export async function measureLatency(url, instances, samples, feedOptions = {}) {
  const caches = [];
  for (let i = 0; i < instances; i++) {
    const feed = postgresChanges({ connectionString: url, tables: ['users'], ...feedOptions });
    caches.push({ feed, cache: HydraCache.local().name(`bench-${i}`).changes(feed).build() });
  }
  await Promise.all(caches.map(({ feed }) => feed.ready()));
  let waiting;
  const onEvent = (message) => {
    if (message.event === 'applied' && waiting) waiting.seen(message.cache);
  };
  subscribe(POSTGRES_FEED_CHANNEL, onEvent);
  const writer = new pg.Client({ connectionString: url });
  await writer.connect();
  const latencies = [];
  try {
    for (let i = 0; i < samples; i++) {
      const pending = new Set(caches.map((_, n) => `bench-${n}`));
      const done = new Promise((resolve) => {
        waiting = {
          seen(cache) {
            pending.delete(cache);
            if (pending.size === 0) resolve();
          },
        };
      });
      const start = performance.now();
      await writer.query(`UPDATE users SET name = $1 WHERE id = $2`, [`v${i}`, (i % 100) + 1]);
      await done;
      latencies.push(performance.now() - start);
      waiting = undefined;
      // A random pause, so writes do not fall into step with the poll.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 100));
    }
  } finally {
    unsubscribe(POSTGRES_FEED_CHANNEL, onEvent);
    await writer.end();
    await Promise.all(caches.map(({ cache }) => cache.close()));
  }
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
  };
}
