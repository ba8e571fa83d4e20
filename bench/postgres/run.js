/**
 * `npm run bench:postgres` (after `npm run build`): the Postgres change feed against the server at
 * POSTGRES_URL (default postgres://postgres@127.0.0.1:5432), in a database of its own that it
 * drops at the end. Writes bench/postgres/RESULTS.md.
 *   SAMPLES=300 (writes per latency measurement), SECONDS=3 (per throughput run), CLIENTS=4, ROUNDS=3
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresChangesSql } from '../../dist/postgres/index.js';
import { measureLatency } from './latency.js';
import { hasPgbench, pgbenchTps } from './pgbench.js';
import { measureThroughput } from './throughput.js';

const SERVER = process.env.POSTGRES_URL?.trim() || 'postgres://postgres@127.0.0.1:5432';
const SAMPLES = Number(process.env.SAMPLES ?? 300);
const SECONDS = Number(process.env.SECONDS ?? 3);
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

async function admin(sql, database = 'postgres') {
  const client = new pg.Client({ connectionString: `${SERVER}/${database}` });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const name = `hc_bench_${randomBytes(4).toString('hex')}`;
const url = `${SERVER}/${name}`;
await admin(`CREATE DATABASE ${name}`);
const [{ server_version: version }] = await admin('SHOW server_version');
const fmt = (ms) => ms.toFixed(1);
const lines = [];
try {
  await admin(
    `CREATE TABLE users (id int PRIMARY KEY, name text);
     INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 1000) g;
     CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text)`,
    name,
  );
  const update = (i) => `UPDATE users SET name = 'n${i}' WHERE id = ${(i % 1000) + 1}`;
  const insert = (i) => `INSERT INTO events (body) VALUES ('e${i}')`;
  const PGBENCH = hasPgbench();
  const scripts = {
    update: "\\set id random(1, 1000)\nUPDATE users SET name = 'n' WHERE id = :id;\n",
    insert: "INSERT INTO events (body) VALUES ('e');\n",
  };
  const runThroughput = async () => ({
    update: PGBENCH
      ? pgbenchTps(url, CLIENTS, SECONDS, scripts.update)
      : await measureThroughput(url, CLIENTS, SECONDS, update),
    insert: PGBENCH
      ? pgbenchTps(url, CLIENTS, SECONDS, scripts.insert)
      : await measureThroughput(url, CLIENTS, SECONDS, insert),
  });
  const sql = (notify) => postgresChangesSql({ tables: ['users', 'events'], notify });
  const runs = { without: [], notify: [], quiet: [] };
  for (let round = 0; round < ROUNDS; round++) {
    console.log(`throughput round ${round + 1}...`);
    runs.without.push(await runThroughput());
    await admin(sql(true).install, name);
    runs.notify.push(await runThroughput());
    await admin(sql(true).remove, name);
    await admin(sql(false).install, name);
    runs.quiet.push(await runThroughput());
    await admin(sql(false).remove, name);
  }
  const median = (list, what) => {
    const sorted = list.map((run) => run[what]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const tput = Object.fromEntries(
    ['update', 'insert'].map((what) => [
      what,
      [median(runs.without, what), median(runs.notify, what), median(runs.quiet, what)],
    ]),
  );
  // The capture's own CPU cost per statement, commits left out: one transaction of LOOP statements.
  const LOOP = 20_000;
  const loopMicros = async () => {
    const started = performance.now();
    await admin(
      `DO $$ BEGIN FOR i IN 1..${LOOP} LOOP UPDATE users SET name = 'l' WHERE id = 1 + i % 1000; END LOOP; END $$`,
      name,
    );
    return ((performance.now() - started) * 1_000) / LOOP;
  };
  const perStatement = { without: [], with: [] };
  for (let round = 0; round < ROUNDS; round++) {
    perStatement.without.push({ us: await loopMicros() });
    await admin(sql(false).install, name);
    perStatement.with.push({ us: await loopMicros() });
    await admin(sql(false).remove, name);
  }
  const loopWithout = median(perStatement.without, 'us');
  const loopWith = median(perStatement.with, 'us');
  await admin(sql(true).install, name);
  console.log('latency...');
  const one = await measureLatency(url, 1, SAMPLES);
  const three = await measureLatency(url, 3, SAMPLES);
  const polled = await measureLatency(url, 1, Math.min(SAMPLES, 40), {
    listen: false,
    pollInterval: 100,
  });
  lines.push(
    '# Postgres change feed benchmark',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} with \`npm run bench:postgres\` on ${os.cpus().length} cores ` +
      `(${os.cpus()[0]?.model.trim()}), Node ${process.version}, PostgreSQL ${version} on 127.0.0.1, ` +
      `all in one machine shared with other work (load average ${os.loadavg()[0].toFixed(1)} at the end), ` +
      'so treat ratios as indicative.',
    '',
    '## Commit -> applied on every instance',
    '',
    `One writer updates one row per statement (autocommit), ${SAMPLES} times, 5-105 ms apart (random); the time runs ` +
      "from sending the UPDATE until every instance's feed has applied it (commit round trip included).",
    '',
    '| instances | doorbell | p50 ms | p99 ms | max ms |',
    '| --- | --- | ---: | ---: | ---: |',
    `| 1 | NOTIFY | ${fmt(one.p50)} | ${fmt(one.p99)} | ${fmt(one.max)} |`,
    `| 3 | NOTIFY | ${fmt(three.p50)} | ${fmt(three.p99)} | ${fmt(three.max)} |`,
    `| 1 | none (listen: false, pollInterval 100 ms; ${Math.min(SAMPLES, 40)} writes) | ${fmt(polled.p50)} | ${fmt(polled.p99)} | ${fmt(polled.max)} |`,
    '',
    "## The triggers' cost on writes",
    '',
    `${CLIENTS} connections run single-row statements back to back (autocommit) for ${SECONDS} s ` +
      `(${PGBENCH ? 'pgbench' : 'a Node loop'}); without the feed, with it, with it at \`notify: false\`, ` +
      `${ROUNDS} rounds; the median round of each.`,
    '',
    '| statement | no feed (stmt/s) | feed, notify (stmt/s) | ratio | feed, notify: false (stmt/s) | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(tput).map(
      ([what, [off, on, quiet]]) =>
        `| single-row ${what.toUpperCase()} | ${off.toFixed(0)} | ${on.toFixed(0)} | ${(on / off).toFixed(2)}x | ` +
        `${quiet.toFixed(0)} | ${(quiet / off).toFixed(2)}x |`,
    ),
    '',
    `The capture's CPU cost, commits left out: one transaction of ${LOOP} single-row UPDATEs (a DO loop), ` +
      `median of ${ROUNDS}: ${loopWithout.toFixed(1)} µs per statement without the feed, ${loopWith.toFixed(1)} µs ` +
      `with its triggers, so about ${(loopWith - loopWithout).toFixed(0)} µs per writing statement.`,
    '',
    'The NOTIFY is what costs under concurrent writers: Postgres serializes the commits of transactions ' +
      "that sent one (a lock held through the commit's WAL flush), so they lose group commit. Hence " +
      '`notify: false` (poll only, with `pollInterval` at 50-100 ms) for write-heavy tables.',
    '',
  );
  writeFileSync(RESULTS, lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  await admin(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
  );
  await admin(`DROP DATABASE IF EXISTS ${name}`);
}
