import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { feedInstance, gone, putRow, putTable, type FeedInstance } from './support/feed-fixture.js';

/** A free port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

// PGlite (Postgres 17 in WASM), served to ordinary pg clients by pglite-socket: what the sample
// app runs without a server. Whether or not NOTIFY reaches the feed there, the poll carries it.
describe('postgres change feed on PGlite through pglite-socket', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let writer: pg.Client;
  let instance: FeedInstance;

  beforeAll(async () => {
    db = new PGlite();
    await db.exec(`CREATE TABLE users (id int PRIMARY KEY, name text);
      CREATE TABLE memberships (tenant text, user_id int, PRIMARY KEY (tenant, user_id))`);
    const port = await freePort();
    server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 4 });
    await server.start();
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    instance = await feedInstance({
      connectionString: url,
      tables: ['users', 'memberships'],
      pollInterval: 50,
    });
    writer = new pg.Client({ connectionString: url });
    await writer.connect();
  }, 60_000);

  afterAll(async () => {
    await instance?.close();
    await writer?.end();
    await server?.stop();
    await db?.close();
  });

  it('applies writes from another client, row and composite keys', async () => {
    const row = await putRow(instance.cache, 'users', 1);
    const list = await putTable(instance.cache, 'users');
    const member = await putRow(instance.cache, 'memberships', ['acme', 1]);
    await writer.query(`INSERT INTO users VALUES (1, 'ada')`);
    await writer.query(`INSERT INTO memberships VALUES ('acme', 1)`);
    await gone(instance.cache, row);
    await gone(instance.cache, list);
    await gone(instance.cache, member);
  });

  it('records nothing for a rolled-back write, and applies a write made in PGlite itself', async () => {
    const row = await putRow(instance.cache, 'users', 2);
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO users VALUES (2, 'never')`);
    await writer.query('ROLLBACK');
    const direct = await putRow(instance.cache, 'users', 3);
    await db.query(`INSERT INTO users VALUES (3, 'in process')`);
    await gone(instance.cache, direct);
    expect(await instance.cache.get(row)).toBe('cached');
  });
});
