/** What the bench/orm/*.bench.js files share: the local Postgres and how they time calls. */
import pg from 'pg';

/** The machine's Postgres, as the benches reach it. */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

/** Runs one statement as the admin user on the default database (CREATE/DROP DATABASE). */
export async function admin(sql) {
  const client = new pg.Client(PG);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `op(i)` `count` times with `concurrency` callers; ops per second. */
export async function throughput(op, count, concurrency) {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await op(next++);
    }),
  );
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Mean µs per `op(i)`, run one after another. */
export async function perOp(op, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await op(i);
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
}
