import type { ResolvedSqlOptions } from './postgres-changes.options.js';

/** `"name"` with inner quotes doubled: an identifier as Postgres reads it, case kept. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'` with inner quotes doubled (standard_conforming_strings, on since Postgres 9.1). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Every database name the feed uses, derived from the log table's. */
export interface FeedNames {
  /** The log table, quoted and schema-qualified. */
  readonly log: string;
  /** Its one-row state table (how far pruning went). */
  readonly state: string;
  /** The function that creates a table's capture function and triggers. */
  readonly watch: string;
  /** The watched tables and the settings they were watched with (for partitions added later). */
  readonly tables: string;
  /** The event-trigger function that watches partitions added to a watched table. */
  readonly onDdl: string;
  /** The event trigger calling it (database-wide, so named after the log), unquoted. */
  readonly ddlTrigger: string;
  /** The prefix of each table's capture function name (`<log>_capture_<hash>`), unquoted. */
  readonly capturePrefix: string;
  /** The prefix of the triggers' names (`<log>_ins`, `_upd`, `_del`, `_trunc`), unquoted. */
  readonly triggerPrefix: string;
  /** The NOTIFY channel, unquoted: `schema.log`. */
  readonly channel: string;
  /** The log's schema, unquoted. */
  readonly schema: string;
  /** Arguments of `pg_advisory_xact_lock` that serialize installers (and removers). */
  readonly installLock: string;
  /** Arguments of `pg_try_advisory_xact_lock` that let one instance at a time prune. */
  readonly pruneLock: string;
}

/** The names for the log table in `options`. */
export function feedNames(options: ResolvedSqlOptions): FeedNames {
  const schema = quoteIdent(options.logSchema);
  const name = (suffix: string): string => `${schema}.${quoteIdent(options.logName + suffix)}`;
  const channel = `${options.logSchema}.${options.logName}`;
  return {
    log: name(''),
    state: name('_state'),
    watch: name('_watch'),
    tables: name('_tables'),
    onDdl: name('_on_ddl'),
    ddlTrigger: `${channel}_partitions`,
    capturePrefix: `${options.logName}_capture_`,
    triggerPrefix: `${options.logName}_`,
    channel,
    schema: options.logSchema,
    installLock: `hashtext('hydracache:install'), hashtext(${quoteLiteral(channel)})`,
    pruneLock: `hashtext('hydracache:prune'), hashtext(${quoteLiteral(channel)})`,
  };
}
