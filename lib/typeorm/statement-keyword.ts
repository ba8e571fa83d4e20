/**
 * What a statement's first keyword says it may do, read without a parser so the adapter parses
 * only the statements that can write (a write is rare next to the reads TypeORM runs).
 */
export type StatementKind = 'read' | 'write' | 'unknown';

/** Keywords of statements that change no table's rows: reads, transaction control, session settings. */
const CHANGES_NO_ROWS = new Set([
  'SELECT', 'VALUES', 'TABLE', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'PRAGMA',
  'START', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'END', 'SET', 'RESET', 'USE',
  'LOCK', 'UNLOCK', 'ANALYZE', 'VACUUM', 'CHECKPOINT', 'LISTEN', 'UNLISTEN', 'NOTIFY',
  'PREPARE', 'DEALLOCATE', 'DECLARE', 'FETCH', 'CLOSE', 'DISCARD',
]); // prettier-ignore

/** Keywords of statements whose written tables the parser names (WITH may also be a plain read). */
const WRITES_ROWS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'MERGE',
  'TRUNCATE',
  'UPSERT',
  'WITH',
]);

/**
 * `read` for a statement that changes no rows, `write` for one the parser can name the written
 * tables of, `unknown` for anything else (DDL, CALL, DO, COPY...): its effect is unknown, so the
 * caller must treat it as a write to every table.
 */
export function statementKind(sql: string): StatementKind {
  const keyword = firstKeyword(sql);
  if (CHANGES_NO_ROWS.has(keyword)) return 'read';
  if (WRITES_ROWS.has(keyword)) return 'write';
  return 'unknown';
}

/** The statement's first word in upper case, past blanks, comments and opening parentheses. */
export function firstKeyword(sql: string): string {
  let i = 0;
  const n = sql.length;
  for (;;) {
    while (i < n && (isBlank(sql.charCodeAt(i)) || sql[i] === '(')) i++;
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else break;
  }
  let j = i;
  while (j < n && isLetter(sql.charCodeAt(j))) j++;
  return sql.slice(i, j).toUpperCase();
}

function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}
