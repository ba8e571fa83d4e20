import { createHash } from 'node:crypto';
import type { ChangeSink, ChangeSource } from '../core/changes/change-source.js';
import { CacheErrors } from '../core/cache.errors.js';
import { ChangeTags } from './change-tags.js';
import { FeedConnection } from './feed-connection.js';
import { FeedCounters, type PostgresFeedStats } from './feed-stats.js';
import { installSql } from './install-sql.js';
import { logQueries, PRUNE_BATCH, type LogQueries } from './log-queries.js';
import { LogReader } from './log-reader.js';
import type { ResolvedPostgresChangesOptions } from './postgres-changes.options.js';
import { feedNames, quoteIdent, type FeedNames } from './sql-names.js';

/** The xmax of a `pg_snapshot` text (`xmin:xmax:xip,...`): every transaction id below it had started. */
function xmaxOf(snapshot: string): number {
  return Number(snapshot.split(':')[1]);
}

/**
 * How long (ms) a starting instance waits for another to report applying the log past its start
 * before it flushes the second tier: a few of their polls.
 */
function startWaitMs(pollInterval: number): number {
  return Math.max(1_000, 3 * pollInterval);
}

/** Milliseconds an install may take (it waits its turn behind other instances installing). */
const INSTALL_TIMEOUT_MS = 30_000;

/**
 * A cache's view of the Postgres change log: applies every committed write to the watched tables
 * as `tableTag`/`rowTag` invalidations, from a cursor kept in memory (a snapshot: see
 * {@link LogQueries.read}). NOTIFY rings the doorbell; a poll every `pollInterval` reads anyway,
 * so a lost NOTIFY or a half-open socket costs latency, never a change. Every (re)connect reads
 * from the cursor first (catch-up); a cursor the log was pruned past flushes the cache.
 */
export class PostgresChangeFeed implements ChangeSource {
  readonly #options: ResolvedPostgresChangesOptions;
  readonly #names: FeedNames;
  readonly #queries: LogQueries;
  readonly #reader: LogReader;
  readonly #counters = new FeedCounters(() => this.#sink?.cacheName ?? 'default');
  #sink: ChangeSink | undefined;
  #connection: FeedConnection | undefined;
  /** The snapshot every change before which is applied; null until the first connect. */
  #cursor: string | null = null;
  /** Bumped whenever a connection is given up: a late event of an older one is ignored. */
  #generation = 0;
  #live = false;
  #closed = false;
  #attempt = 0;
  #reading = false;
  #readAgain = false;
  #catchUp = false;
  #pruning = false;
  #cycle: Promise<void> | undefined;
  /** Aborted by close(), so a connection attempt in progress is dropped rather than awaited. */
  readonly #closing = new AbortController();
  #reconnectTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  readonly #ready: Promise<void>;
  #markReady!: () => void;
  /** Which changes this feed hears: the log and the watched tables with their tags. */
  readonly #stream: string;

  constructor(options: ResolvedPostgresChangesOptions) {
    this.#options = options;
    this.#names = feedNames(options);
    this.#queries = logQueries(this.#names);
    this.#reader = new LogReader(
      this.#queries,
      new ChangeTags(options.tables),
      this.#counters,
      options.queryTimeout,
    );
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
    const watched = options.tables.map((table) => `${table.tag}=${table.qualified}`).sort();
    this.#stream = createHash('sha1')
      .update(JSON.stringify([this.#names.channel, watched]))
      .digest('hex')
      .slice(0, 20);
  }

  /** Starts the feed for `sink`'s cache: connects (installing if asked) in the background. */
  attach(sink: ChangeSink): void {
    if (this.#sink !== undefined) {
      throw CacheErrors.invalidOption(
        'changes',
        'one postgresChanges() source per cache (call postgresChanges() once for each)',
        'a source already attached to another cache',
      );
    }
    this.#sink = sink;
    if (this.#closed) return;
    this.#pollTimer = setInterval(() => this.#requestRead(), this.#options.pollInterval).unref();
    const pruneEvery = Math.min(
      60_000,
      Math.max(this.#options.pollInterval, this.#options.retention / 10),
    );
    this.#pruneTimer = setInterval(() => this.#prune(), pruneEvery).unref();
    this.#start();
  }

  /** What the feed has done so far. */
  stats(): PostgresFeedStats {
    return this.#counters.snapshot();
  }

  /** Resolves once the feed first connected and caught up (or was closed); it may stay pending while Postgres is down. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Stops reading, ends the connection and clears every timer; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#generation++;
    this.#live = false;
    this.#counters.connected = false;
    clearInterval(this.#pollTimer);
    clearInterval(this.#pruneTimer);
    clearTimeout(this.#reconnectTimer);
    this.#closing.abort();
    this.#markReady();
    const connection = this.#connection;
    this.#connection = undefined;
    await Promise.allSettled([connection?.close(), this.#cycle]);
  }

  #start(): void {
    const generation = this.#generation;
    this.#cycle = this.#connect(generation).catch((error: unknown) =>
      this.#lost(error, generation),
    );
  }

  /** One connection's set-up: connect, install, LISTEN, take or catch up from the cursor. */
  async #connect(generation: number): Promise<void> {
    const options = this.#options;
    const connection = await FeedConnection.open(
      options,
      {
        notified: (channel) => {
          if (channel === this.#names.channel) this.#requestRead();
        },
        lost: (error) => this.#lost(error, generation),
      },
      this.#closing.signal,
    );
    const current = (): boolean => !this.#closed && generation === this.#generation;
    if (!current()) return connection.close();
    this.#connection = connection;
    if (options.install) {
      await connection.query(`BEGIN;\n${installSql(options)}\nCOMMIT;`, INSTALL_TIMEOUT_MS);
    }
    if (options.listen) {
      await connection.query(`LISTEN ${quoteIdent(this.#names.channel)}`, options.queryTimeout);
    }
    if (this.#cursor === null) {
      const [row] = await connection.query<{ snapshot: string }>(
        this.#queries.snapshot(),
        options.queryTimeout,
      );
      if (!current()) return;
      this.#cursor = row!.snapshot;
      this.#counters.position = this.#cursor;
      // Anything this cache loaded before the cursor existed may predate a write it will never
      // hear of: start from an empty cache, and from a second tier only once another instance
      // vouched for it (or flushed). Applied at once: a reconnect resumes from the cursor.
      this.#sink!.startAt(this.#stream, xmaxOf(this.#cursor), startWaitMs(options.pollInterval));
      // One transaction id spent: every snapshot taken from now on has an xmax past the cursor's,
      // so other instances soon report a position past it even if nobody writes. Should this
      // fail, the tier is only flushed after the wait instead.
      await connection.query('SELECT pg_current_xact_id()', options.queryTimeout);
      if (!current()) return;
    } else {
      this.#catchUp = true;
      this.#counters.reconnects++;
    }
    if (!current()) return;
    this.#live = true;
    this.#attempt = 0;
    this.#requestRead();
  }

  #requestRead(): void {
    if (!this.#live) return;
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = true;
    void this.#readLoop(this.#generation);
  }

  async #readLoop(generation: number): Promise<void> {
    try {
      do {
        this.#readAgain = false;
        await this.#readOnce(generation);
      } while (this.#readAgain && this.#live && generation === this.#generation);
    } catch (error) {
      this.#lost(error, generation);
    } finally {
      this.#reading = false;
      // A doorbell of a newer connection that rang while an older read was failing.
      if (this.#readAgain && this.#live) this.#requestRead();
    }
  }

  async #readOnce(generation: number): Promise<void> {
    const connection = this.#connection;
    if (connection === undefined || this.#cursor === null) return;
    const current = (): boolean => !this.#closed && generation === this.#generation;
    const next = await this.#reader.read(connection, this.#sink!, this.#cursor, current);
    if (next === undefined || !current()) return;
    const counters = this.#counters;
    counters.reads++;
    if (this.#catchUp) {
      this.#catchUp = false;
      counters.catchUps++;
    }
    this.#cursor = next;
    counters.position = next;
    this.#sink!.appliedThrough(this.#stream, xmaxOf(next));
    if (!counters.connected) {
      counters.connected = true;
      counters.lastError = null;
      counters.publish('connected');
      this.#markReady();
    }
  }

  /** Deletes log rows past retention, batch by batch, when no other instance is at it. */
  #prune(): void {
    const connection = this.#connection;
    if (!this.#live || this.#pruning || connection === undefined) return;
    this.#pruning = true;
    void (async () => {
      try {
        let deleted: number;
        do {
          const [row] = await connection.query<{ pruned: number }>(
            this.#queries.prune(this.#options.retention),
            this.#options.queryTimeout,
          );
          deleted = row?.pruned ?? 0;
          this.#counters.pruned += deleted;
          if (deleted > 0) this.#counters.publish('pruned', { count: deleted });
        } while (deleted >= PRUNE_BATCH && this.#live);
      } catch (error) {
        this.#counters.lastError = message(error);
      } finally {
        this.#pruning = false;
      }
    })();
  }

  /** Gives up the current connection (once per connection) and schedules the next attempt. */
  #lost(error: unknown, generation: number): void {
    if (this.#closed || generation !== this.#generation) return;
    this.#generation++;
    this.#live = false;
    const connection = this.#connection;
    this.#connection = undefined;
    void connection?.close();
    const counters = this.#counters;
    counters.lastError = message(error);
    if (counters.connected) {
      counters.connected = false;
      counters.publish('disconnected', { error: counters.lastError });
    }
    const delay = Math.min(
      50 * 2 ** Math.min(this.#attempt++, 16),
      this.#options.maxReconnectDelay,
    );
    this.#reconnectTimer = setTimeout(() => this.#start(), delay).unref();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
