import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { pollUntil } from '../support/poll.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { feedInstance, gone, putRow, type FeedInstance } from './support/feed-fixture.js';
import { postgresAvailable, TestDatabase } from './support/postgres-db.js';

const available = await postgresAvailable('Postgres change feed: faults');
const suite = available ? describe : describe.skip;

suite('postgres change feed: connection faults', () => {
  let db: TestDatabase;
  const open: FeedInstance[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    db = await TestDatabase.create();
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY, name text)`);
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((instance) => instance.close()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function instance(options: Partial<Parameters<typeof feedInstance>[0]> = {}) {
    const made = await feedInstance({ connectionString: db.url, tables: ['users'], ...options });
    open.push(made);
    return made;
  }

  async function viaProxy(): Promise<{ proxy: TcpProxy; url: string }> {
    const proxy = await TcpProxy.start(5432);
    proxies.push(proxy);
    return { proxy, url: `postgres://postgres@127.0.0.1:${proxy.port}/${db.name}` };
  }

  it('applies every write after pg_terminate_backend of its connection while writes go on', async () => {
    const { cache, feed } = await instance({ pollInterval: 1_000 });
    const keys: string[] = [];
    for (let id = 1; id <= 60; id++) keys.push(await putRow(cache, 'users', id));
    for (let id = 1; id <= 60; id++) {
      await db.sql(`INSERT INTO users VALUES ($1, 'w')`, [id]);
      if (id === 20 || id === 40) {
        await db.sql(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'hydracache-feed'`,
        );
      }
    }
    for (const key of keys) await gone(cache, key);
    await pollUntil(() => feed.stats().connected, 'the feed to reconnect');
    expect(feed.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(feed.stats().catchUps).toBeGreaterThanOrEqual(1);
    expect(feed.stats().gaps).toBe(0);
  });

  it('polls when no NOTIFY ever arrives (listen: false, as behind a transaction pooler)', async () => {
    const { cache } = await instance({ listen: false, pollInterval: 50 });
    const row = await putRow(cache, 'users', 500);
    await db.sql(`INSERT INTO users VALUES (500, 'polled')`);
    await gone(cache, row);
  });

  it('a half-open socket (nothing comes back) times out, reconnects and catches up', async () => {
    const { proxy, url } = await viaProxy();
    const { cache, feed } = await instance({
      connectionString: url,
      queryTimeout: 300,
      pollInterval: 50,
    });
    const row = await putRow(cache, 'users', 600);
    proxy.pause(); // the server's answers and NOTIFYs stop arriving; the socket stays open
    await db.sql(`INSERT INTO users VALUES (600, 'while paused')`);
    await pollUntil(() => !feed.stats().connected, 'the feed to notice');
    expect(await cache.get(row)).toBe('cached');
    proxy.resume();
    await gone(cache, row);
    expect(feed.stats().lastError).toBeNull();
  });

  it('flushes the cache when the log was pruned past its cursor (a gap)', async () => {
    const { proxy, url } = await viaProxy();
    const behind = await instance({ connectionString: url, queryTimeout: 300, pollInterval: 50 });
    const current = await instance({ pollInterval: 50 });
    await behind.cache.put('unrelated', 'kept until a gap', { tags: ['nothing-writes-this'] });
    proxy.cut(); // this instance reads nothing until restore()
    const row = await putRow(current.cache, 'users', 700);
    await db.sql(`INSERT INTO users VALUES (700, 'pruned before it was read')`);
    await gone(current.cache, row);
    // What a prune records (the prune itself waits for retention: see the pruning spec).
    await db.sql(`WITH gone AS (DELETE FROM hydracache_changes RETURNING xid)
      UPDATE hydracache_changes_state SET pruned_through = (SELECT max(xid) FROM gone)`);
    expect(await behind.cache.get('unrelated')).toBe('kept until a gap');
    proxy.restore();
    await pollUntil(() => behind.feed.stats().gaps === 1, 'the gap to be seen');
    expect(await behind.cache.get('unrelated')).toBeUndefined();
  });

  it('catches up a backlog of several pages (2 500 statements) written while it was cut off', async () => {
    const { proxy, url } = await viaProxy();
    const { cache, feed } = await instance({ connectionString: url, queryTimeout: 300 });
    const keys: string[] = [];
    for (let id = 10_000; id < 12_500; id++) keys.push(await putRow(cache, 'users', id));
    proxy.cut();
    await db.sql(
      `DO $$ BEGIN FOR i IN 10000..12499 LOOP INSERT INTO users VALUES (i, 'paged'); END LOOP; END $$`,
    );
    expect(await cache.get(keys[0]!)).toBe('cached');
    proxy.restore();
    for (const key of keys) await gone(cache, key);
    expect(feed.stats().gaps).toBe(0);
    expect(feed.stats().tableFlushes).toBe(0);
  });

  it('close() leaves no socket or timer behind, and a cache that never connected closes too', async () => {
    const before = resources();
    const { cache } = await feedInstance({ connectionString: db.url, tables: ['users'] });
    await cache.close();
    const { proxy, url } = await viaProxy();
    proxy.cut();
    const never = await import('@hydracache/nestjs/postgres').then(({ postgresChanges }) =>
      postgresChanges({ connectionString: url, tables: ['users'], queryTimeout: 200 }),
    );
    const { HydraCache } = await import('@hydracache/nestjs');
    const stranded = HydraCache.local().changes(never).build();
    await stranded.close();
    await proxy.close();
    proxies.length = 0;
    await pollUntil(() => sameAs(before, resources()), 'every handle to close', 5_000);
  });
});

suite('postgres change feed: closing while a connection attempt hangs', () => {
  it('close() drops the attempt instead of waiting out queryTimeout', async () => {
    // A server that accepts and never answers: connecting hangs.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.resume(); // read and drop what the client sends, so its close is seen
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { postgresChanges } = await import('@hydracache/nestjs/postgres');
    const { HydraCache } = await import('@hydracache/nestjs');
    const feed = postgresChanges({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      tables: ['users'],
      queryTimeout: 600_000, // far past this test's timeout: only abandoning the attempt lets close() finish
    });
    const cache = HydraCache.local().changes(feed).build();
    await pollUntil(() => sockets.size > 0, 'the feed to be connecting');
    await cache.close();
    await pollUntil(() => sockets.size === 0, 'the feed to drop its socket');
    await new Promise((resolve) => silent.close(resolve));
  });
});

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

function sameAs(before: Record<string, number>, after: Record<string, number>): boolean {
  return ['TCPSocketWrap', 'Timeout'].every((name) => (after[name] ?? 0) <= (before[name] ?? 0));
}
