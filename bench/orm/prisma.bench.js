/**
 * Prisma adapter benchmark (after `npm run build`): `node bench/orm/prisma.bench.js [--quick]`, or
 * through `node bench/orm/run.js prisma`. On the local Postgres, in one run:
 * 1. throughput of a primary-key `findUnique`, uncached vs `cache: true` (all hits after warm-up),
 *    one caller and 16;
 * 2. the cost of one hit through Prisma + the extension vs a plain `cache.getOrLoad` hit of the
 *    same row.
 * The client is the test schema's (test/prisma/schema.prisma), generated into .tmp/ and compiled
 * there to JavaScript (Prisma 7 generates TypeScript), with the pg driver adapter.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { PG, admin, median, perOp, throughput } from './measure.js';
import { HydraCache } from '../../dist/index.js';
import { hydraCache } from '../../dist/prisma/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GENERATED = `${ROOT}.tmp/prisma-client`;
const COMPILED = `${ROOT}.tmp/prisma-bench`;
const DATABASE = `hc_bench_prisma_${process.pid}`;
const ROWS = 1_000;
const IDS = 100;

/** Generates the test client (no engine download: see test/prisma/prisma-fixture.ts) and compiles it. */
function compiledClient() {
  if (!existsSync(`${GENERATED}/client.ts`)) {
    execFileSync('npx', ['prisma', 'generate', '--schema', `${ROOT}test/prisma/schema.prisma`], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' },
      stdio: 'pipe',
    });
  }
  if (!existsSync(`${COMPILED}/client.js`)) {
    execFileSync(
      'npx',
      [
        'tsc',
        ...['--outDir', COMPILED, '--rootDir', GENERATED, '--module', 'nodenext'],
        ...['--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck'],
        `${GENERATED}/client.ts`,
      ],
      { stdio: 'pipe' },
    );
    writeFileSync(`${COMPILED}/package.json`, '{"type":"module"}\n');
  }
  return `${COMPILED}/client.js`;
}

/** Runs the benchmark; returns the markdown of its results. */
export default async function run({ quick = false } = {}) {
  const rounds = quick ? 3 : 7;
  const queries = quick ? 1_000 : 5_000;
  const hits = quick ? 5_000 : 30_000;
  const { PrismaClient } = await import(compiledClient());
  const { PrismaPg } = await import('@prisma/adapter-pg');
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DATABASE}`);
  const base = new PrismaClient({ adapter: new PrismaPg({ ...PG, database: DATABASE, max: 8 }) });
  const cache = HydraCache.local().maxCapacity(10_000).build();
  try {
    await base.$executeRawUnsafe(`CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
      CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, author_id integer NOT NULL REFERENCES users(id))`);
    await base.$executeRawUnsafe(
      `INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, ${ROWS}) g`,
    );
    const prisma = base.$extends(hydraCache(cache, { ttl: 600_000 }));
    const id = (i) => (i % IDS) + 1;
    const uncached = (i) => base.user.findUnique({ where: { id: id(i) } });
    const cached = (i) => prisma.user.findUnique({ where: { id: id(i) }, cache: true });
    // The least a Prisma cache extension can do (the peer for the extension's own cost): a Map
    // keyed by model and arguments, no TTL, no tags, no invalidation, no copy.
    const map = new Map();
    const mapPrisma = base.$extends({
      query: {
        $allModels: {
          async $allOperations({ model, operation, args, query }) {
            const { cache: wanted, ...rest } = args;
            if (!wanted) return query(args);
            const key = `${model}.${operation}:${JSON.stringify(rest)}`;
            if (map.has(key)) return map.get(key);
            const value = await query(rest);
            map.set(key, value);
            return value;
          },
        },
      },
    });
    const mapCached = (i) => mapPrisma.user.findUnique({ where: { id: id(i) }, cache: true });
    const row = await uncached(0);
    const viaGetOrLoad = (i) =>
      cache.getOrLoad(`plain:${id(i)}`, { ttl: 600_000, tags: ['table:users'] }, () => row);
    for (let i = 0; i < 2 * IDS; i++) {
      await Promise.all([cached(i), mapCached(i), viaGetOrLoad(i), uncached(i)]);
    }
    if ((await cached(0)).name !== 'user 1')
      throw new Error('the cached read returned the wrong row');

    const results = {
      uncached1: [],
      cached1: [],
      uncached16: [],
      cached16: [],
      getOrLoad: [],
      adapterHit: [],
      mapHit: [],
    };
    for (let r = 0; r < rounds; r++) {
      results.uncached1.push(await throughput(uncached, queries, 1));
      results.cached1.push(await throughput(cached, queries, 1));
      results.uncached16.push(await throughput(uncached, queries, 16));
      results.cached16.push(await throughput(cached, queries, 16));
      results.adapterHit.push(await perOp(cached, hits));
      results.mapHit.push(await perOp(mapCached, hits));
      results.getOrLoad.push(await perOp(viaGetOrLoad, hits));
    }
    const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
    const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
    const load = os.loadavg()[0].toFixed(2);
    return [
      '## Prisma: the hydraCache extension',
      '',
      `A primary-key \`user.findUnique\` cycling over ${IDS} ids of ${fmt(ROWS)}, every cache warm; real Postgres 15 on loopback through \`@prisma/adapter-pg\` (pool of 8), Prisma ${base._clientVersion ?? '7'}. Queries per second, median of ${rounds} rounds of ${fmt(queries)} queries${quick ? ' (--quick)' : ''}; ratios against uncached in the same run.`,
      '',
      '| variant | 1 caller: queries/s | vs uncached | 16 callers: queries/s | vs uncached |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| uncached (Postgres every time) | ${fmt(m.uncached1)} | 1.00x | ${fmt(m.uncached16)} | 1.00x |`,
      `| \`cache: true\` (hits) | ${fmt(m.cached1)} | ${(m.cached1 / m.uncached1).toFixed(2)}x | ${fmt(m.cached16)} | ${(m.cached16 / m.uncached16).toFixed(2)}x |`,
      '',
      `### The cost of one hit (${fmt(hits)} sequential calls)`,
      '',
      '| path | µs per call | vs getOrLoad |',
      '| --- | ---: | ---: |',
      `| \`cache.getOrLoad\` hit of the same row | ${fmt(m.getOrLoad, 2)} | 1.00x |`,
      `| \`findUnique({ ..., cache: true })\` through the extension | ${fmt(m.adapterHit, 2)} | ${(m.adapterHit / m.getOrLoad).toFixed(2)}x |`,
      `| the same through a bare Map extension (peer) | ${fmt(m.mapHit, 2)} | ${(m.mapHit / m.getOrLoad).toFixed(2)}x |`,
      '',
      `Most of a hit is Prisma's own: its client extension machinery runs before any query extension sees the call, which the bare Map peer pays too. The extension's own share is the difference from the peer (${fmt(m.adapterHit - m.mapHit, 2)} µs): its key (model, operation and arguments, serialized in a stable order), the tables the arguments reach, and a \`getOrLoad\` hit that hands each caller its own copy (the Map peer hands every caller the same object).`,
      '',
      `_Run ${new Date().toISOString()}; ${os.cpus().length} CPUs, Node ${process.version}, load average (1 min) at the end ${load}._`,
      '',
    ].join('\n');
  } finally {
    await cache.close();
    await base.$disconnect();
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const markdown = await run({ quick: process.argv.includes('--quick') });
  console.error(markdown);
  // bench/orm/run.js reads the last stdout line as this bench's section of RESULTS.md.
  console.log(JSON.stringify({ markdown }));
}
