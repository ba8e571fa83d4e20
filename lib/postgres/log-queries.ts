import type { QueryConfig } from 'pg';
import type { FeedNames } from './sql-names.js';

/** One log row a read returned: a statement that wrote to a table. */
export interface LogRow {
  /** `schema.table`, unquoted. */
  readonly table_name: string;
  /** The primary keys the statement touched (each an array of the key's columns as text), or null for the whole table. */
  readonly keys: readonly (readonly string[])[] | null;
  /** Milliseconds between the row's write and this read, by the server's clock. */
  readonly age_ms: number;
}

/** What one read of the log found. */
export interface LogRead {
  /** The snapshot the read saw the log in (`xmin:xmax:xip,...`): the next read's cursor. */
  readonly snapshot: string;
  /** Pruning removed entries the cursor had not read yet. */
  readonly gap: boolean;
  /** The rows committed after the cursor's snapshot and visible in this one (none when `gap`). */
  readonly rows: readonly LogRow[];
}

/** Most rows one read fetches; a backlog larger than this is dropped for a flush instead. */
export const MAX_ROWS_PER_READ = 10_000;

/** Most log rows one prune statement deletes (it runs again at once while there is more). */
export const PRUNE_BATCH = 10_000;

/** The queries the feed runs, named (prepared once per connection) where they repeat. */
export interface LogQueries {
  /** The snapshot a reader with no cursor starts from: everything committed before it is ignored. */
  snapshot(): QueryConfig;
  /**
   * Every row of a transaction that the cursor's snapshot did not see as committed and this
   * statement's snapshot does (the rows a reader at `cursor` has not applied yet), and this
   * snapshot. One statement, so the rows and the snapshot agree.
   *
   * Why not `id > last id`: ids come from a sequence when a row is written, and transactions
   * commit in another order, so a long transaction's row can appear below an id already read.
   * Every transaction below the snapshot's xmin had finished when it was taken, so its rows were
   * all visible then; above xmin, the snapshot itself says which transactions it saw committed.
   */
  read(cursor: string): QueryConfig;
  /** Deletes one batch of rows older than `retentionMs` (if this instance holds the prune lock), noting how far it went. */
  prune(retentionMs: number): QueryConfig;
}

/** The queries on the log named in `names`. */
export function logQueries(names: FeedNames): LogQueries {
  const tag = names.channel.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  const readText = `SELECT s.snap::text AS snapshot,
    st.pruned_through >= pg_snapshot_xmin($1::pg_snapshot) AS gap,
    l.table_name, l.keys, l.age_ms
  FROM (SELECT pg_current_snapshot() AS snap) s
  LEFT JOIN ${names.state} st ON true
  LEFT JOIN LATERAL (
    SELECT c.table_name, c.keys, (extract(epoch FROM clock_timestamp() - c.at) * 1000)::float8 AS age_ms
    FROM ${names.log} c
    WHERE c.xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(c.xid, $1::pg_snapshot)
    LIMIT ${MAX_ROWS_PER_READ + 1}
  ) l ON true`;
  // Only transactions below the current xmin are pruned, so a transaction still open keeps its
  // rows; rows go in id order up to the first one within retention.
  const pruneText = `WITH lock AS (SELECT pg_try_advisory_xact_lock(${names.pruneLock}) AS ok),
  doomed AS (
    SELECT c.id FROM ${names.log} c
    WHERE (SELECT ok FROM lock)
      AND c.id < coalesce((SELECT r.id FROM ${names.log} r
        WHERE r.at >= clock_timestamp() - $1::float8 * interval '1 millisecond' ORDER BY r.id LIMIT 1), 9223372036854775807)
      AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY c.id LIMIT ${PRUNE_BATCH}
  ),
  gone AS (DELETE FROM ${names.log} c USING doomed d WHERE c.id = d.id RETURNING c.xid),
  noted AS (
    UPDATE ${names.state} SET pruned_through = greatest(pruned_through, (SELECT max(xid) FROM gone))
    WHERE EXISTS (SELECT 1 FROM gone)
  )
  SELECT count(*)::int AS pruned FROM gone`;
  return {
    snapshot: () => ({ text: 'SELECT pg_current_snapshot()::text AS snapshot' }),
    read: (cursor) => ({ name: `hydracache_read_${tag}`, text: readText, values: [cursor] }),
    prune: (retentionMs) => ({
      name: `hydracache_prune_${tag}`,
      text: pruneText,
      values: [retentionMs],
    }),
  };
}

/** Shapes the rows of a {@link LogQueries.read} into a {@link LogRead}. */
export function toLogRead(
  rows: readonly (LogRow & { snapshot: string; gap: boolean | null })[],
): LogRead {
  const first = rows[0];
  if (first === undefined) throw new Error('hydracache: the log read returned no row');
  if (first.gap === null)
    throw new Error('hydracache: the change log state row is missing; install again');
  if (first.gap) return { snapshot: first.snapshot, gap: true, rows: [] };
  return {
    snapshot: first.snapshot,
    gap: rows.length > MAX_ROWS_PER_READ,
    rows: first.table_name === null ? [] : rows,
  };
}
