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

/** Where a page of a read ended: the next page starts after this row, in (xid, id) order. */
export interface PagePosition {
  readonly xid: string;
  readonly id: string;
}

/** What one page of a read found. */
export interface LogPage {
  /** The snapshot the read reads up to (`xmin:xmax:xip,...`): the next read's cursor once every page is in. */
  readonly snapshot: string;
  /** Pruning removed entries the cursor had not read yet: flush, and move the cursor to `snapshot`. */
  readonly gap: boolean;
  /** The rows of this page (none when `gap`). */
  readonly rows: readonly LogRow[];
  /** Where the next page starts, or null when this was the last. */
  readonly next: PagePosition | null;
}

/** Rows per page of a read. */
export const PAGE_ROWS = 1_000;

/** Pages one read fetches at most; a larger backlog flushes the cache instead (cheaper than applying it). */
export const MAX_PAGES_PER_READ = 100;

/** Most log rows one prune statement deletes (it runs again at once while there is more). */
export const PRUNE_BATCH = 10_000;

/** The queries the feed runs. */
export interface LogQueries {
  /** The snapshot a reader with no cursor starts from: everything committed before it is ignored. */
  snapshot(): QueryConfig;
  /**
   * The first page of the rows of every transaction that the cursor's snapshot did not see as
   * committed and this statement's snapshot does (the rows a reader at `cursor` has not applied
   * yet), with that snapshot. One statement, so the rows and the snapshot agree.
   *
   * Why not `id > last id`: ids come from a sequence when a row is written, and transactions
   * commit in another order, so a long transaction's row can appear below an id already read.
   * Every transaction below the snapshot's xmin had finished when it was taken, so its rows were
   * all visible then; above xmin, the snapshot itself says which transactions it saw committed.
   */
  firstPage(cursor: string): QueryConfig;
  /** The page after `after` of the same read: rows the cursor did not see and `snapshot` does. */
  nextPage(cursor: string, snapshot: string, after: PagePosition): QueryConfig;
  /** Deletes one batch of rows older than `retentionMs` (if this instance holds the prune lock), noting how far it went. */
  prune(retentionMs: number): QueryConfig;
}

/** The queries on the log named in `names` (unnamed statements, so a transaction pooler can carry them). */
export function logQueries(names: FeedNames): LogQueries {
  const page = (snap: string, after: string): string => `SELECT s.snap::text AS snapshot,
    st.pruned_through >= pg_snapshot_xmin($1::pg_snapshot) AS gap,
    l.xid::text AS xid, l.id::text AS id, l.table_name, l.keys, l.age_ms
  FROM (SELECT ${snap} AS snap) s
  LEFT JOIN ${names.state} st ON true
  LEFT JOIN LATERAL (
    SELECT c.xid, c.id, c.table_name, c.keys,
      (extract(epoch FROM clock_timestamp() - c.at) * 1000)::float8 AS age_ms
    FROM ${names.log} c
    WHERE ${after}
      AND NOT pg_visible_in_snapshot(c.xid, $1::pg_snapshot)
      AND pg_visible_in_snapshot(c.xid, s.snap)
    ORDER BY c.xid, c.id
    LIMIT ${PAGE_ROWS}
  ) l ON true`;
  const firstText = page('pg_current_snapshot()', 'c.xid >= pg_snapshot_xmin($1::pg_snapshot)');
  const nextText = page('$2::pg_snapshot', '(c.xid, c.id) > ($3::xid8, $4::bigint)');
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
    firstPage: (cursor) => ({ text: firstText, values: [cursor] }),
    nextPage: (cursor, snapshot, after) => ({
      text: nextText,
      values: [cursor, snapshot, after.xid, after.id],
    }),
    prune: (retentionMs) => ({ text: pruneText, values: [retentionMs] }),
  };
}

/** A row of a page query as it arrives. */
export type PageRow = LogRow & {
  snapshot: string;
  gap: boolean | null;
  xid: string | null;
  id: string | null;
};

/** Shapes the rows of a page query into a {@link LogPage}. */
export function toLogPage(rows: readonly PageRow[]): LogPage {
  const first = rows[0];
  if (first === undefined) throw new Error('hydracache: the log read returned no row');
  if (first.gap === null) {
    throw new Error('hydracache: the change log state row is missing; install again');
  }
  if (first.gap) return { snapshot: first.snapshot, gap: true, rows: [], next: null };
  if (first.id === null) return { snapshot: first.snapshot, gap: false, rows: [], next: null };
  const last = rows.at(-1)!;
  return {
    snapshot: first.snapshot,
    gap: false,
    rows,
    next: rows.length < PAGE_ROWS ? null : { xid: last.xid!, id: last.id! },
  };
}
