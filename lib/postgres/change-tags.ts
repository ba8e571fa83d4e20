import { ANY_TABLE_TAG, rowTag, tableTag } from '../core/table-tags.js';
import type { LogRow } from './log-queries.js';
import type { WatchedTable } from './postgres-changes.options.js';

/** Most row tags one batch invalidates; a batch naming more flushes the cache instead. */
export const MAX_ROW_TAGS_PER_BATCH = 100_000;

/**
 * What a batch of log rows invalidates: the tags (each row's `tableTag` and a `rowTag` per key it
 * touched, by the names the user gave in `tables`), or everything (`'flush'`) when a row records
 * its table alone (a TRUNCATE, a statement over `maxRowsPerStatement` rows, a table without a
 * primary key): entries cached per row carry only their row tag, and no tag names "every row of
 * the table", so dropping the cache is the one way to reach them all. Rows of tables this feed
 * does not watch (another app sharing the log) are skipped.
 */
export class ChangeTags {
  readonly #byQualified: ReadonlyMap<string, string>;

  constructor(tables: readonly WatchedTable[]) {
    this.#byQualified = new Map(tables.map((table) => [table.qualified, table.tag]));
  }

  /** The tags `rows` invalidate, without repeats (empty when none concerns a watched table), or `'flush'`. */
  tagsOf(rows: readonly LogRow[]): string[] | 'flush' {
    const tags = new Set<string>();
    for (const row of rows) {
      const name = this.#byQualified.get(row.table_name);
      if (name === undefined) continue;
      if (row.keys === null) return 'flush';
      tags.add(tableTag(name));
      for (const key of row.keys) tags.add(rowTag(name, key.length === 1 ? key[0]! : key));
      if (tags.size > MAX_ROW_TAGS_PER_BATCH) return 'flush';
    }
    // Results whose tables an adapter could not tell (unparsable SQL) go with any write.
    if (tags.size > 0) tags.add(ANY_TABLE_TAG);
    return [...tags];
  }
}
