import { describe, expect, it } from '@jest/globals';
import { ANY_TABLE_TAG, rowTag, tableTag } from '@hydracache/nestjs';
import type { ChangeSink } from '../../lib/core/changes/change-source.js';
import type { CacheChange } from '../../lib/core/local-changes.js';
import { ChangeTags } from '../../lib/postgres/change-tags.js';
import type { FeedConnection } from '../../lib/postgres/feed-connection.js';
import { FeedCounters } from '../../lib/postgres/feed-stats.js';
import {
  logQueries,
  MAX_PAGES_PER_READ,
  PAGE_ROWS,
  type PageRow,
} from '../../lib/postgres/log-queries.js';
import { LogReader } from '../../lib/postgres/log-reader.js';
import { resolvePostgresChangesSqlOptions } from '../../lib/postgres/postgres-changes.options.js';
import { feedNames } from '../../lib/postgres/sql-names.js';

const options = resolvePostgresChangesSqlOptions({ tables: ['users'] });

/** A connection that answers each page query with the next of `pages`, recording what it was asked. */
function fakeConnection(pages: PageRow[][]): { connection: FeedConnection; asked: unknown[][] } {
  const asked: unknown[][] = [];
  const connection = {
    async query(query: { values?: unknown[] }) {
      asked.push(query.values ?? []);
      const page = pages.shift();
      if (!page) throw new Error('no more pages');
      return page;
    },
  } as unknown as FeedConnection;
  return { connection, asked };
}

function page(count: number, first: number, extra: Partial<PageRow> = {}): PageRow[] {
  return Array.from({ length: count }, (_, i) => ({
    snapshot: '100:105:',
    gap: false,
    xid: '101',
    id: String(first + i),
    table_name: 'public.users',
    keys: [[String(first + i)]],
    age_ms: 3,
    ...extra,
  }));
}

function recordingSink(): { sink: ChangeSink; changes: CacheChange[] } {
  const changes: CacheChange[] = [];
  const sink: ChangeSink = {
    cacheName: 'test',
    apply: (change) => (changes.push(change), 0),
    startAt: () => undefined,
    appliedThrough: () => undefined,
  };
  return { sink, changes };
}

function reader(): { reader: LogReader; counters: FeedCounters } {
  const counters = new FeedCounters(() => 'test');
  const made = new LogReader(
    logQueries(feedNames(options)),
    new ChangeTags(options.tables),
    counters,
    1_000,
  );
  return { reader: made, counters };
}

describe('LogReader', () => {
  it("reads page after page in the first page's snapshot, then moves the cursor to it", async () => {
    const { connection, asked } = fakeConnection([page(PAGE_ROWS, 1), page(2, PAGE_ROWS + 1)]);
    const { sink, changes } = recordingSink();
    const { reader: read, counters } = reader();
    await expect(read.read(connection, sink, '90:95:', () => true)).resolves.toBe('100:105:');
    expect(asked).toEqual([['90:95:'], ['90:95:', '100:105:', '101', String(PAGE_ROWS)]]);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toEqual({
      type: 'tags',
      tags: [
        tableTag('users'),
        rowTag('users', PAGE_ROWS + 1),
        rowTag('users', PAGE_ROWS + 2),
        ANY_TABLE_TAG,
      ],
    });
    expect(counters.applied).toBe(PAGE_ROWS + 2);
  });

  it('a gap on a later page (pruned while reading) flushes and still moves the cursor', async () => {
    const { connection } = fakeConnection([page(PAGE_ROWS, 1), page(1, 0, { gap: true })]);
    const { sink, changes } = recordingSink();
    const { reader: read, counters } = reader();
    await expect(read.read(connection, sink, '90:95:', () => true)).resolves.toBe('100:105:');
    expect(changes.at(-1)).toEqual({ type: 'flush' });
    expect(counters.gaps).toBe(1);
  });

  it(`a backlog over ${MAX_PAGES_PER_READ} pages flushes instead of reading on`, async () => {
    const pages = Array.from({ length: MAX_PAGES_PER_READ + 1 }, (_, n) =>
      page(PAGE_ROWS, n * PAGE_ROWS),
    );
    const { connection, asked } = fakeConnection(pages);
    const { sink, changes } = recordingSink();
    const { reader: read, counters } = reader();
    await expect(read.read(connection, sink, '90:95:', () => true)).resolves.toBe('100:105:');
    expect(asked).toHaveLength(MAX_PAGES_PER_READ);
    expect(changes.at(-1)).toEqual({ type: 'flush' });
    expect(counters.gaps).toBe(1);
  });

  it('stops without moving the cursor once the feed is no longer current', async () => {
    const { connection } = fakeConnection([page(PAGE_ROWS, 1), page(1, PAGE_ROWS + 1)]);
    const { sink } = recordingSink();
    let current = true;
    const { reader: read } = reader();
    const result = read.read(connection, sink, '90:95:', () => {
      const was = current;
      current = false;
      return was;
    });
    await expect(result).resolves.toBeUndefined();
  });

  it('a row that names its table alone flushes; rows of unwatched tables are skipped', async () => {
    const { connection } = fakeConnection([
      [...page(1, 1, { table_name: 'public.other' }), ...page(1, 2, { keys: null })],
    ]);
    const { sink, changes } = recordingSink();
    const { reader: read, counters } = reader();
    await read.read(connection, sink, '90:95:', () => true);
    expect(changes).toEqual([{ type: 'flush' }]);
    expect(counters.tableFlushes).toBe(1);
  });
});
