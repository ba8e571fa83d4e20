import pg from 'pg';
import type { Client, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import type { ResolvedPostgresChangesOptions } from './postgres-changes.options.js';

/** Milliseconds a polite `end()` may take before the socket is dropped. */
const END_TIMEOUT_MS = 500;

/** What the feed hears from its connection. */
export interface ConnectionEvents {
  /** A NOTIFY on `channel` arrived. */
  notified(channel: string): void;
  /** The connection failed or ended; it is unusable from now on. */
  lost(error: Error): void;
}

/**
 * The feed's one session with Postgres (LISTEN needs a session, and reads go on the same one).
 * Every query has a deadline: a half-open socket that never answers is dropped, not waited on.
 */
export class FeedConnection {
  #gone = false;

  private constructor(
    private readonly client: Client | PoolClient,
    private readonly release: ((destroy: boolean) => void) | undefined,
    private readonly events: ConnectionEvents,
  ) {
    client.on('notification', (message) => events.notified(message.channel));
    client.on('error', (error) => this.#lose(error));
    client.on('end', () => this.#lose(new Error('the Postgres connection ended')));
  }

  /**
   * Opens a session as `options` say (own client, the app's pool, or the app's client factory)
   * within `queryTimeout`; `signal` abandons the attempt at once (the feed is closing), dropping
   * the half-open socket.
   */
  static async open(
    options: ResolvedPostgresChangesOptions,
    events: ConnectionEvents,
    signal: AbortSignal,
  ): Promise<FeedConnection> {
    if (options.pool) {
      const client: PoolClient = await withDeadline(
        options.pool.connect(),
        options.queryTimeout,
        'connecting',
        (late) => void late.then((c) => c.release(true)).catch(() => undefined),
        signal,
      );
      return new FeedConnection(client, (destroy) => client.release(destroy), events);
    }
    const client = options.client
      ? await options.client()
      : new pg.Client({
          connectionString: options.connectionString,
          keepAlive: true,
          application_name: 'hydracache-feed',
        });
    client.on('error', () => undefined); // reported by the connect() rejection below
    await withDeadline(
      client.connect(),
      options.queryTimeout,
      'connecting',
      () => destroySocket(client),
      signal,
    );
    return new FeedConnection(client, undefined, events);
  }

  /** Runs `query`; past `timeoutMs` the connection is dropped (and reported lost) and the call rejects. */
  async query<R extends QueryResultRow>(
    query: QueryConfig | string,
    timeoutMs: number,
  ): Promise<R[]> {
    if (this.#gone) throw new Error('the Postgres connection is closed');
    const result = await withDeadline(
      this.client.query<R>(query as QueryConfig),
      timeoutMs,
      'a query',
      () => this.#lose(new Error(`a query took longer than ${timeoutMs} ms`)),
    );
    // A multi-statement text returns one result per statement.
    return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
  }

  /** Ends the session politely, dropping the socket if that takes over 500 ms; never rejects. */
  async close(): Promise<void> {
    if (this.#gone) return;
    this.#gone = true;
    this.client.removeAllListeners('notification');
    if (this.release) {
      this.release(true);
      destroySocket(this.client);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, END_TIMEOUT_MS);
    });
    try {
      await Promise.race([(this.client as Client).end(), timeout]);
    } catch {
      // Already broken: dropping the socket below is all there is left to do.
    } finally {
      clearTimeout(timer);
      destroySocket(this.client);
    }
  }

  #lose(error: Error): void {
    if (this.#gone) return;
    this.#gone = true;
    this.client.removeAllListeners('notification');
    destroySocket(this.client);
    if (this.release) this.release(true);
    this.events.lost(error);
  }
}

/** Drops the client's socket at once (node-postgres has no public way to, and `end()` can wait on a dead peer). */
function destroySocket(client: Client | PoolClient): void {
  const connection = (client as unknown as { connection?: { stream?: { destroy(): void } } })
    .connection;
  connection?.stream?.destroy();
}

/** `promise`, or a rejection after `ms` or on `signal` (calling `onLate` with the promise, which may still settle). */
function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  onLate: (late: Promise<T>) => void,
  signal?: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let abandon: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const give = (why: string): void => {
      onLate(promise);
      reject(new Error(`hydracache: ${what} ${why}`));
    };
    timer = setTimeout(() => give(`took longer than ${ms} ms`), ms);
    abandon = () => give('was abandoned: the feed closed');
    if (signal?.aborted) abandon();
    else signal?.addEventListener('abort', abandon, { once: true });
  });
  return Promise.race([promise, deadline]).finally(() => {
    clearTimeout(timer);
    if (abandon) signal?.removeEventListener('abort', abandon);
  });
}
