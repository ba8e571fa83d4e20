/**
 * The triggers' cost on writes: `clients` connections each run single-row statements (autocommit,
 * pgbench-style) for `seconds`, on a table with or without the feed's triggers.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** Statements per second of `statement(i)` over `clients` connections for `seconds`. */
export async function measureThroughput(url, clients, seconds, statement) {
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  let count = 0;
  let next = 0;
  const end = performance.now() + seconds * 1_000;
  const start = performance.now();
  await Promise.all(
    connections.map(async (client) => {
      while (performance.now() < end) {
        await client.query(statement(next++));
        count++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1_000;
  await Promise.all(connections.map((client) => client.end()));
  return count / elapsed;
}
