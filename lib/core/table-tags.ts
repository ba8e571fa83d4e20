import { CacheErrors } from './cache.errors.js';
import { escapeSegment, type KeySegment } from './cache-key.js';

/**
 * The one meaning of database tags, shared by the Postgres change feed and the ORM adapters: a
 * write to a table invalidates `tableTag(table)` and, per row it touched, `rowTag(table, key)`.
 *
 * Table names are compared as the database stores them (case-sensitive, unquoted), optionally
 * schema-qualified; a `public.` prefix is dropped, so `users` and `public.users` are one tag.
 * Primary-key values are compared as text (`42` and `'42'` are one row), which is how Postgres
 * prints them; a composite key is an array in the key's column order.
 */

/** The primary key of one row: a value, or the values of a composite key in column order. */
export type RowKey = KeySegment | readonly KeySegment[];

/** The tag every write to `table` invalidates: `table:users`. */
export function tableTag(table: string): string {
  return `table:${escapeSegment(tableName(table))}`;
}

/**
 * The tag of results whose tables are unknown (SQL an adapter could not parse): every write to any
 * table invalidates it, whoever reports the write (an ORM adapter or the change feed).
 */
export const ANY_TABLE_TAG = tableTag('*');

/** The tag a write to the row of `table` whose primary key is `key` invalidates: `row:users:42`, `row:users:acme:42`. */
export function rowTag(table: string, key: RowKey): string {
  const parts = Array.isArray(key) ? (key as readonly KeySegment[]) : [key as KeySegment];
  if (parts.length === 0) throw CacheErrors.invalidOption('rowTag key', 'a non-empty key', key);
  for (const part of parts) {
    if (part === null || part === undefined) {
      throw CacheErrors.invalidOption(
        'rowTag key',
        'string, number, bigint or boolean values',
        key,
      );
    }
  }
  return `row:${escapeSegment(tableName(table))}:${parts.map(escapeSegment).join(':')}`;
}

/** `table` without a leading `public.` schema; rejects an empty or non-string name. */
export function tableName(table: string): string {
  if (typeof table !== 'string' || table === '') {
    throw CacheErrors.invalidOption('table', 'a non-empty table name', table);
  }
  return table.startsWith('public.') ? table.slice('public.'.length) : table;
}
