/**
 * TypeORM adapter benchmark (run by bench/orm/run.js, or alone: `node bench/orm/typeorm.bench.js
 * [--quick]` after `npm run build`). On the real Postgres (127.0.0.1:5432, its own database):
 *   1. throughput of one find (members of a team, joined to the team, 20 rows) cycling over 50
 *      teams, uncached vs TypeORM's own caches (database table, Redis via ioredis) vs
 *      hydraQueryCache, sequential and with 16 concurrent callers, variants interleaved per round;
 *   2. the adapter's own cost on a hit: `queryResultCache.getFromCache()` vs the same HydraCache's
 *      plain getOrLoad of a key with the same tags.
 * Every answer is checked (20 rows of the right team), so a broken cache cannot look fast.
 */
import 'reflect-metadata';
import { DataSource, EntitySchema } from 'typeorm';
import { HydraCache } from '../../dist/index.js';
import { hydraQueryCache } from '../../dist/typeorm/index.js';
import { PG, admin, median } from './measure.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 3;
const SECONDS = quick ? 0.5 : 2;
const TEAMS = 50;
const MEMBERS_PER_TEAM = 40;
const DATABASE = `hc_bench_typeorm_${process.pid}`;

const Team = new EntitySchema({
  name: 'team',
  columns: { id: { type: Number, primary: true, generated: true }, name: { type: String } },
});
const Member = new EntitySchema({
  name: 'member',
  columns: {
    id: { type: Number, primary: true, generated: true },
    name: { type: String },
    email: { type: String },
  },
  relations: { team: { type: 'many-to-one', target: 'team', eager: false } },
});

const log = (line) => process.stderr.write(`  typeorm: ${line}\n`);

function dataSource(cache, extra = {}) {
  return new DataSource({
    type: 'postgres',
    host: PG.host,
    port: PG.port,
    username: PG.user,
    database: DATABASE,
    entities: [Team, Member],
    cache,
    // Above the 16 callers: TypeORM's database cache takes a second connection per miss and
    // deadlocks a pool no larger than the callers.
    extra: { max: 32 },
    ...extra,
  }).initialize();
}

/** One find per call, cycling over the teams; checks every answer. */
function finder(ds, cache) {
  const repo = ds.getRepository('member');
  let next = 0;
  return async () => {
    const teamId = (next++ % TEAMS) + 1;
    const rows = await repo.find({
      where: { team: { id: teamId } },
      relations: { team: true },
      order: { id: 'ASC' },
      take: 20,
      ...(cache ? { cache: 60_000 } : {}),
    });
    if (rows.length !== 20 || rows[0].team.id !== teamId) throw new Error('wrong answer');
  };
}

/** Calls of `op` per second over SECONDS, with `concurrency` callers. */
async function throughput(op, concurrency) {
  const deadline = performance.now() + SECONDS * 1000;
  let calls = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await op();
      calls++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return calls / ((performance.now() - started) / 1000);
}

/** Nanoseconds per call of `op` over `n` sequential calls. */
async function nsPerCall(op, n) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  return Number(process.hrtime.bigint() - started) / n;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const spread = (xs) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;

async function main() {
  await admin(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin(`CREATE DATABASE ${DATABASE}`);
  const seed = await dataSource(false, { synchronize: true });
  for (let t = 1; t <= TEAMS; t++) {
    const team = await seed.getRepository('team').save({ name: `team ${t}` });
    await seed.getRepository('member').insert(
      Array.from({ length: MEMBERS_PER_TEAM }, (_, i) => ({
        name: `m${t}-${i}`,
        email: `m${t}-${i}@example.com`,
        team,
      })),
    );
  }
  await seed.destroy();

  const hydra = new HydraCache({ maxCapacity: 10_000 });
  const variants = {
    uncached: { ds: await dataSource(false), cached: false },
    'TypeORM cache (database table)': {
      ds: await dataSource(
        { type: 'database', tableName: 'query_result_cache' },
        { synchronize: true },
      ),
      cached: true,
    },
    'TypeORM cache (Redis, ioredis)': {
      ds: await dataSource({
        type: 'ioredis',
        options: { host: '127.0.0.1', port: 6379, keyPrefix: `hc-bench-typeorm-${process.pid}:` },
      }),
      cached: true,
    },
    hydraQueryCache: { ds: await dataSource(hydraQueryCache(hydra)), cached: true },
  };
  for (const v of Object.values(variants)) v.find = finder(v.ds, v.cached);
  // Warm every cache with every team once.
  for (const v of Object.values(variants)) for (let t = 0; t < TEAMS; t++) await v.find();

  const results = {};
  for (const concurrency of [1, 16]) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, v] of Object.entries(variants)) {
        const rate = await throughput(v.find, concurrency);
        (results[`${name}|${concurrency}`] ??= []).push(rate);
        log(`c=${concurrency} round ${round + 1} ${name}: ${fmt(rate)}/s`);
      }
    }
  }

  // The adapter's own hit path vs HydraCache's plain getOrLoad, same cache, same tags.
  const qrc = variants.hydraQueryCache.ds.queryResultCache;
  const sql =
    'SELECT "m"."id" AS "m_id", "m"."name" AS "m_name" FROM "member" "m" LEFT JOIN "team" "t" ON "t"."id" = "m"."teamId" WHERE "t"."id" = $1';
  const queryId = (i) => `${sql} -- PARAMETERS: [${i % TEAMS}]`;
  const json = JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ m_id: i, m_name: `m${i}` })));
  for (let i = 0; i < TEAMS; i++) {
    const ticket = await qrc.getFromCache({ query: queryId(i), duration: 60_000 });
    await qrc.storeInCache({ query: queryId(i), duration: 60_000, result: json }, ticket);
  }
  const plain = new HydraCache({ maxCapacity: 10_000 });
  const tags = ['table:member', 'table:team', 'typeorm:query'];
  const loader = async () => json;
  for (let i = 0; i < TEAMS; i++)
    await plain.getOrLoad(`k:${queryId(i)}`, { ttl: 60_000, tags }, loader);
  const N = quick ? 20_000 : 200_000;
  const micro = { adapter: [], plain: [] };
  for (let round = 0; round < ROUNDS; round++) {
    micro.adapter.push(
      await nsPerCall(async (i) => {
        const hit = await qrc.getFromCache({ query: queryId(i), duration: 60_000 });
        if (hit.result !== json) throw new Error('wrong answer');
      }, N),
    );
    micro.plain.push(
      await nsPerCall(async (i) => {
        const hit = await plain.getOrLoad(`k:${queryId(i)}`, { ttl: 60_000, tags }, loader);
        if (hit !== json) throw new Error('wrong answer');
      }, N),
    );
    log(
      `hit path round ${round + 1}: adapter ${fmt(micro.adapter.at(-1))} ns, getOrLoad ${fmt(micro.plain.at(-1))} ns`,
    );
  }

  for (const v of Object.values(variants)) await v.ds.destroy();
  await hydra.close();
  await plain.close();
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);

  const uncached = (c) => median(results[`uncached|${c}`]);
  const rows = Object.keys(variants).map((name) => {
    const cells = [1, 16].map((c) => {
      const xs = results[`${name}|${c}`];
      return `${fmt(median(xs))} (${spread(xs)}) | ${(median(xs) / uncached(c)).toFixed(2)}x`;
    });
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  const adapter = median(micro.adapter);
  const plainNs = median(micro.plain);
  const markdown = `## TypeORM: hydraQueryCache

One \`find\` (20 members of a team joined to their team, ordered) cycling over ${TEAMS} teams,
every cache warm; real Postgres 15 on loopback. Calls per second, median of ${ROUNDS} rounds of
${SECONDS} s (min–max), variants interleaved per round; ratios against uncached in the same run.

| variant | 1 caller: calls/s | vs uncached | 16 callers: calls/s | vs uncached |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

hydraQueryCache vs TypeORM's Redis cache: ${(median(results['hydraQueryCache|1']) / median(results['TypeORM cache (Redis, ioredis)|1'])).toFixed(2)}x (1 caller),
${(median(results['hydraQueryCache|16']) / median(results['TypeORM cache (Redis, ioredis)|16'])).toFixed(2)}x (16 callers). A hit still pays TypeORM's own work
(building the SQL, JSON.parse of the rows, hydrating entities), which is most of a hit's time.

The adapter's own hit path: \`queryResultCache.getFromCache()\` for a warm query vs the same
HydraCache's plain \`getOrLoad\` of a key with the same three tags, ${fmt(N)} sequential calls,
median of ${ROUNDS} rounds: **${fmt(adapter)} ns vs ${fmt(plainNs)} ns per hit
(${(adapter / plainNs).toFixed(2)}x)** (min–max ${spread(micro.adapter)} vs ${spread(micro.plain)}).
The difference is the table-tag lookup of the SQL text (parsed once, remembered per text) and
the key and result objects.`;
  process.stdout.write(`${JSON.stringify({ markdown })}\n`);
}

main().catch(async (error) => {
  process.stderr.write(`${error.stack}\n`);
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
  process.exit(1);
});
