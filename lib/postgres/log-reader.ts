import type { ChangeSink } from '../core/changes/change-source.js';
import type { ChangeTags } from './change-tags.js';
import type { FeedConnection } from './feed-connection.js';
import type { FeedCounters } from './feed-stats.js';
import {
  MAX_PAGES_PER_READ,
  toLogPage,
  type LogPage,
  type LogQueries,
  type LogRow,
  type PageRow,
} from './log-queries.js';

/**
 * One read of the log from a cursor: page by page, in one snapshot taken by the first page, each
 * page applied to the cache as it arrives. A gap (the log was pruned past the cursor) or a backlog
 * over {@link MAX_PAGES_PER_READ} pages flushes the cache instead. The cursor only moves once the
 * whole read is applied, so a read cut short is read again from the start (invalidations are
 * idempotent).
 */
export class LogReader {
  constructor(
    private readonly queries: LogQueries,
    private readonly tags: ChangeTags,
    private readonly counters: FeedCounters,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Applies to `sink` every change committed after `cursor`; resolves to the new cursor, or to
   * undefined when `current()` turned false on the way (the feed closed or lost its connection).
   */
  async read(
    connection: FeedConnection,
    sink: ChangeSink,
    cursor: string,
    current: () => boolean,
  ): Promise<string | undefined> {
    const fetch = async (query: Parameters<FeedConnection['query']>[0]): Promise<LogPage> =>
      toLogPage(await connection.query<PageRow>(query, this.timeoutMs));
    let page = await fetch(this.queries.firstPage(cursor));
    const snapshot = page.snapshot;
    for (let pages = 1; ; pages++) {
      if (!current()) return undefined;
      if (page.gap) return this.#flushForGap(sink, snapshot);
      this.#apply(sink, page.rows);
      if (page.next === null) return snapshot;
      if (pages >= MAX_PAGES_PER_READ) return this.#flushForGap(sink, snapshot);
      page = await fetch(this.queries.nextPage(cursor, snapshot, page.next));
    }
  }

  #flushForGap(sink: ChangeSink, snapshot: string): string {
    sink.apply({ type: 'flush' });
    this.counters.gaps++;
    this.counters.publish('gap');
    return snapshot;
  }

  #apply(sink: ChangeSink, rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    const counters = this.counters;
    const tags = this.tags.tagsOf(rows);
    if (tags === 'flush') {
      sink.apply({ type: 'flush' });
      counters.tableFlushes++;
    } else if (tags.length > 0) {
      sink.apply({ type: 'tags', tags });
    }
    counters.applied += rows.length;
    let newest = Infinity;
    for (const row of rows) newest = Math.min(newest, row.age_ms);
    counters.lagMs = Math.max(0, Math.round(newest));
    counters.publish('applied', { count: rows.length });
  }
}
