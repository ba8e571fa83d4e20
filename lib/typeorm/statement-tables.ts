import { ANY_TABLE_TAG, tableName, tableTag } from '../core/table-tags.js';
import type { SqlDialect, TableListParser } from './sql-dialect.js';
import { firstKeyword, statementKind } from './statement-keyword.js';

/**
 * The tag every write invalidates, carried by each cached query whose tables are unknown (its SQL
 * did not parse, or names no table: a function may read any). Never untagged, never stale. Defined
 * in core, since the change feed invalidates it on every write too.
 */
export { ANY_TABLE_TAG };

/**
 * The tables statements read and write, from node-sql-parser (joins, subqueries and CTEs
 * included), remembered per SQL text: a parse costs hundreds of microseconds, a hit one lookup.
 */
export class StatementTables {
  readonly #reads = new Map<string, readonly string[]>();
  readonly #writes = new Map<string, readonly string[] | undefined>();

  constructor(
    private readonly parser: TableListParser,
    private readonly dialect: SqlDialect,
    private readonly max: number,
  ) {}

  /** The table tags a cached result of `sql` carries: one per table it reads, or {@link ANY_TABLE_TAG}. */
  readTags(sql: string): readonly string[] {
    let tags = this.#reads.get(sql);
    if (tags === undefined) {
      const tables = this.#tables(sql);
      tags = tables === undefined || tables.length === 0 ? [ANY_TABLE_TAG] : tables.map(tableTag);
      remember(this.#reads, sql, tags, this.max);
    }
    return tags;
  }

  /**
   * The tables a statement that ran writes: none for a read or transaction control, undefined when
   * it may have written any table (it did not parse, or it is DDL, CALL, DO...).
   */
  written(sql: string): readonly string[] | undefined {
    const kind = statementKind(sql);
    if (kind === 'read') return NONE;
    if (kind === 'unknown') return undefined;
    if (this.#writes.has(sql)) return this.#writes.get(sql);
    const entries = this.#entries(sql);
    let tables: readonly string[] | undefined;
    if (entries !== undefined) {
      const written = entries.filter((entry) => !entry.startsWith('select::'));
      // A WITH that only reads writes nothing; an INSERT/UPDATE/... naming no table is not understood.
      if (written.length > 0) tables = unique(written.map((entry) => this.#name(entry)));
      else if (entries.length > 0 && firstKeyword(sql) === 'WITH') tables = NONE;
    }
    remember(this.#writes, sql, tables, this.max);
    return tables;
  }

  #tables(sql: string): string[] | undefined {
    const entries = this.#entries(sql);
    return entries === undefined ? undefined : unique(entries.map((entry) => this.#name(entry)));
  }

  #entries(sql: string): string[] | undefined {
    try {
      return this.parser.tableList(sql, { database: this.dialect.database });
    } catch {
      return undefined;
    }
  }

  /** `type::qualifier::table` -> `table`, or `qualifier.table` outside the default schema/database. */
  #name(entry: string): string {
    const first = entry.indexOf('::');
    const last = entry.lastIndexOf('::');
    const qualifier = entry.slice(first + 2, last);
    const table = entry.slice(last + 2);
    if (qualifier === 'null' || qualifier === this.dialect.defaultQualifier)
      return tableName(table);
    return tableName(`${qualifier}.${table}`);
  }
}

const NONE: readonly string[] = Object.freeze([]);

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/** Remembers `value` for `sql`, forgetting the oldest SQL text once `max` are held. */
function remember<V>(memo: Map<string, V>, sql: string, value: V, max: number): void {
  if (memo.size >= max) memo.delete(memo.keys().next().value as string);
  memo.set(sql, value);
}
