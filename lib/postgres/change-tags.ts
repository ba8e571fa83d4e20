import { rowTag, tableTag } from '../core/table-tags.js';
import type { LogRow } from './log-queries.js';
import type { WatchedTable } from './postgres-changes.options.js';

/** Most row tags one batch invalidates; past it, the batch invalidates its tables' tags alone. */
export const MAX_ROW_TAGS_PER_BATCH = 100_000;

/**
 * The tags a batch of log rows invalidates: each row's `tableTag` and a `rowTag` per key it
 * touched, by the names the user gave in `tables`. Rows of tables this feed does not watch (another
 * app sharing the log) are skipped. Table tags alone would also be correct, only coarser.
 */
export class ChangeTags {
  readonly #byQualified: ReadonlyMap<string, string>;

  constructor(tables: readonly WatchedTable[]) {
    this.#byQualified = new Map(tables.map((table) => [table.qualified, table.tag]));
  }

  /** The tags `rows` invalidate, without repeats; empty when none concerns a watched table. */
  tagsOf(rows: readonly LogRow[]): string[] {
    const tables = new Set<string>();
    const rowTags = new Set<string>();
    let coarse = false;
    for (const row of rows) {
      const name = this.#byQualified.get(row.table_name);
      if (name === undefined) continue;
      tables.add(tableTag(name));
      if (coarse || row.keys === null) continue;
      for (const key of row.keys) {
        rowTags.add(rowTag(name, key.length === 1 ? key[0]! : key));
        if (rowTags.size > MAX_ROW_TAGS_PER_BATCH) {
          coarse = true;
          break;
        }
      }
    }
    return coarse ? [...tables] : [...tables, ...rowTags];
  }
}
