/**
 * Drizzle adapter benchmark (after `npm run build`): `node bench/orm/drizzle.bench.js [--quick]`,
 * or through `node bench/orm/run.js`. On the local Postgres, in one run:
 * 1. throughput of a primary-key select, uncached vs `.$withCache()` (all hits after warm-up);
 * 2. the cost of one hit through Drizzle + the adapter vs a plain `cache.getOrLoad` hit of the same
 *    rows, and vs building the same Drizzle query without running it (Drizzle's own share).
 * Writes bench/orm/RESULTS-drizzle.md, and prints its section for bench/orm/run.js.
 */
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { Cache, hashQuery } from 'drizzle-orm/cache/core';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { PG, admin, median, perOp, throughput } from './measure.js';
import { HydraCache } from '../../dist/index.js';
import { hydraDrizzle, hydraDrizzleCache } from '../../dist/drizzle/index.js';

const DATABASE = `hc_bench_drizzle_${process.pid}`;
const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name').notNull() });
const ROWS = 1_000;

/** The least a Drizzle cache can do: a Map, no TTL, no tags, no invalidation. The peer for the adapter's own cost. */
class MapCache extends Cache {
  map = new Map();
  strategy() {
    return 'explicit';
  }
  async get(key) {
    return this.map.get(key);
  }
  async put(key, value) {
    this.map.set(key, value);
  }
  async onMutate() {}
}

/** Runs the benchmark; returns the markdown of its results. */
export default async function run({ quick = false } = {}) {
  const rounds = quick ? 3 : 7;
  const queries = quick ? 2_000 : 10_000;
  const hits = quick ? 5_000 : 50_000;
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DATABASE}`);
  const pool = new pg.Pool({ ...PG, database: DATABASE, max: 8 });
  const cache = HydraCache.local().maxCapacity(10_000).build();
  try {
    await pool.query(`CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
      INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, ${ROWS}) g`);
    const plain = drizzle(pool);
    const db = hydraDrizzle(drizzle(pool, { cache: hydraDrizzleCache(cache, { ttl: 600_000 }) }));
    const id = (i) => (i % 100) + 1;
    const uncached = (i) =>
      plain
        .select()
        .from(users)
        .where(eq(users.id, id(i)));
    const cached = (i) =>
      db
        .select()
        .from(users)
        .where(eq(users.id, id(i)))
        .$withCache();
    const mapDb = drizzle(pool, { cache: new MapCache() });
    const mapCached = (i) =>
      mapDb
        .select()
        .from(users)
        .where(eq(users.id, id(i)))
        .$withCache();
    const rows = await uncached(0);
    const viaGetOrLoad = (i) =>
      cache.getOrLoad(`plain:${id(i)}`, { ttl: 600_000, tags: ['table:users'] }, () => rows);
    const buildOnly = (i) => {
      const q = plain
        .select()
        .from(users)
        .where(eq(users.id, id(i)))
        .toSQL();
      return hashQuery(q.sql, q.params);
    };
    for (let i = 0; i < 200; i++)
      await Promise.all([cached(i), mapCached(i), viaGetOrLoad(i), uncached(i)]);

    const results = {
      uncached: [],
      cached: [],
      getOrLoad: [],
      adapterHit: [],
      mapHit: [],
      build: [],
    };
    for (let r = 0; r < rounds; r++) {
      results.uncached.push(await throughput(uncached, queries, 16));
      results.cached.push(await throughput(cached, queries, 16));
      results.adapterHit.push(await perOp(cached, hits));
      results.mapHit.push(await perOp(mapCached, hits));
      results.getOrLoad.push(await perOp(viaGetOrLoad, hits));
      results.build.push(await perOp(buildOnly, hits));
    }
    const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
    const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
    return [
      '# Drizzle adapter benchmark',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores shared with other jobs), Node ${process.version}, PostgreSQL on 127.0.0.1, drizzle-orm node-postgres, pool of 8. Medians of ${rounds} rounds${quick ? ' (--quick)' : ''}. Regenerate: \`npm run bench:orm\`.`,
      '',
      `## Throughput: a primary-key select (${fmt(queries)} queries, 16 concurrent callers, 100 ids)`,
      '',
      '| path | queries/s | vs uncached |',
      '| --- | ---: | ---: |',
      `| \`db.select()...\` uncached (Postgres every time) | ${fmt(m.uncached)} | 1.00x |`,
      `| \`db.select()....$withCache()\` (hits) | ${fmt(m.cached)} | ${(m.cached / m.uncached).toFixed(2)}x |`,
      '',
      `## The cost of a hit (${fmt(hits)} sequential calls)`,
      '',
      '| path | µs per call | vs getOrLoad |',
      '| --- | ---: | ---: |',
      `| \`cache.getOrLoad\` hit of the same rows | ${fmt(m.getOrLoad, 2)} | 1.00x |`,
      `| Drizzle \`.$withCache()\` hit through the adapter | ${fmt(m.adapterHit, 2)} | ${(m.adapterHit / m.getOrLoad).toFixed(2)}x |`,
      `| Drizzle \`.$withCache()\` hit through a bare Map cache (peer) | ${fmt(m.mapHit, 2)} | ${(m.mapHit / m.getOrLoad).toFixed(2)}x |`,
      `| Drizzle building the query and hashing it (no cache, no database) | ${fmt(m.build, 2)} | ${(m.build / m.getOrLoad).toFixed(2)}x |`,
      '',
      "A hit through Drizzle costs Drizzle's query building and its SHA-256 key (`hashQuery`, async `crypto.subtle`) on top of the cache read; the adapter's own work per hit is one `cache.getOrLoad` hit (a CBOR decode: every caller gets its own copy; a miss leads or joins the load, which is what keeps results overtaken by any invalidation out of the cache) plus the table tags of the query. The Map peer runs in the same process after `hydraDrizzle` enabled its AsyncLocalStorage, so both pay Node's promise hooks.",
      '',
    ].join('\n');
  } finally {
    await cache.close();
    await pool.end();
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { format } = await import('prettier');
  const markdown = await format(await run({ quick: process.argv.includes('--quick') }), {
    parser: 'markdown',
  });
  writeFileSync(new URL('./RESULTS-drizzle.md', import.meta.url), markdown);
  // bench/orm/run.js reads the last stdout line as this bench's section of RESULTS.md.
  console.error(markdown);
  console.log(JSON.stringify({ markdown }));
}
