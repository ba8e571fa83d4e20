import { channel } from 'node:diagnostics_channel';

/** The name of the diagnostics channel the Postgres change feed publishes {@link PostgresFeedEvent}s on. */
export const POSTGRES_FEED_CHANNEL = 'hydracache:postgres';

/** What a Postgres change feed has done so far; see {@link PostgresChangeFeed.stats}. */
export interface PostgresFeedStats {
  /** Connected, listening and caught up at least once since the last (re)connect. */
  readonly connected: boolean;
  /** Log rows (one per writing statement) applied to the cache. */
  readonly applied: number;
  /** Reads of the log (doorbell, poll or catch-up). */
  readonly reads: number;
  /** Reads right after a (re)connect, which apply whatever committed while this instance was away. */
  readonly catchUps: number;
  /** Flushes because the log no longer held what this instance had not read yet (pruned, or a backlog over 100 000 log rows, read 1 000 at a time). */
  readonly gaps: number;
  /** Flushes because a change named its table but not its rows (TRUNCATE, a statement over `maxRowsPerStatement` rows, a table without a primary key). */
  readonly tableFlushes: number;
  /** Connections lost (or timed out) and opened again. */
  readonly reconnects: number;
  /** Log rows this instance pruned. */
  readonly pruned: number;
  /** The snapshot the cursor stands at (`xmin:xmax:xip,...`): every change committed before it is applied. Null before the first connect. */
  readonly position: string | null;
  /** Milliseconds from the newest applied change's write to its read here (server clock), or null before any. */
  readonly lagMs: number | null;
  /** The last failure's message (connection, query or install), or null. */
  readonly lastError: string | null;
}

/** Something that happened to a Postgres change feed, on the `hydracache:postgres` diagnostics channel. */
export interface PostgresFeedEvent {
  /** The cache's `name` setting. */
  readonly cache: string;
  /** `connected` (and caught up), `disconnected`, `gap` (the cache was flushed), `applied` (a batch), `pruned`. */
  readonly event: 'connected' | 'disconnected' | 'gap' | 'applied' | 'pruned';
  /** Rows applied or pruned, for `applied` and `pruned`. */
  readonly count?: number;
  /** Why, for `disconnected`. */
  readonly error?: string;
}

const feedChannel = channel(POSTGRES_FEED_CHANNEL);

/** The feed's counters, and its events when anyone subscribes. */
export class FeedCounters {
  connected = false;
  applied = 0;
  reads = 0;
  catchUps = 0;
  gaps = 0;
  tableFlushes = 0;
  reconnects = 0;
  pruned = 0;
  position: string | null = null;
  lagMs: number | null = null;
  lastError: string | null = null;

  constructor(private readonly cache: () => string) {}

  /** A copy of the counters. */
  snapshot(): PostgresFeedStats {
    const { connected, applied, reads, catchUps, gaps, tableFlushes, reconnects, pruned } = this;
    const { position, lagMs, lastError } = this;
    return {
      connected,
      applied,
      reads,
      catchUps,
      gaps,
      tableFlushes,
      reconnects,
      pruned,
      position,
      lagMs,
      lastError,
    };
  }

  /** Publishes `event` on the diagnostics channel when it has subscribers. */
  publish(
    event: PostgresFeedEvent['event'],
    extra: Omit<PostgresFeedEvent, 'cache' | 'event'> = {},
  ): void {
    if (feedChannel.hasSubscribers) feedChannel.publish({ cache: this.cache(), event, ...extra });
  }
}
