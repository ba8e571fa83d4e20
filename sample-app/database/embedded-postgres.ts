import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A Postgres served from this process (PGlite, Postgres compiled to WASM) to ordinary clients. */
export interface EmbeddedPostgres {
  /** A `postgres://` URL any Postgres client (TypeORM, pg, psql) connects to. */
  readonly url: string;
  /** Stops serving and closes the database; its data is gone (it lives in memory). */
  stop(): Promise<void>;
}

/** Clients the embedded server lets in at once (it queues their queries onto one session). */
const MAX_CONNECTIONS = 32;

/**
 * Starts PGlite in memory behind @electric-sql/pglite-socket on a free loopback port, so that
 * `npm start` and `npm run demo` need no database server. Both packages are loaded only here,
 * only when `DATABASE_URL` is unset.
 *
 * PGlite is one session: while one client is inside a transaction, the others' queries wait for
 * it, and LISTEN/NOTIFY does not reach socket clients (the change feed's polling carries it).
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
  ]);
  const db: PGlite = await PGlite.create();
  const server: PGLiteSocketServer = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: MAX_CONNECTIONS,
  });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        await db.close();
      })()),
  };
}
