import type { ResolvedSqlOptions } from './postgres-changes.options.js';
import { feedNames, quoteIdent, quoteLiteral, type FeedNames } from './sql-names.js';

/**
 * The SQL that installs and removes the change capture. Neither script opens or commits a
 * transaction, so a migration tool can run it inside its own; run it in one transaction
 * (`psql -1 -f`), which the transaction-scoped advisory lock at its top relies on to keep
 * concurrent installers apart.
 *
 * What it installs: the log table (one row per statement that wrote to a watched table: the
 * table, the primary keys it touched or NULL for "the whole table", and the writing transaction's
 * id), a one-row state table, and per watched table a capture function plus four statement-level
 * triggers (INSERT, UPDATE and DELETE with transition tables, TRUNCATE). The capture function's
 * primary-key columns are read from pg_index when it is created: after a change of primary key,
 * install again.
 */
export function installSql(options: ResolvedSqlOptions): string {
  const names = feedNames(options);
  const watchCalls = options.tables.map(
    (table) =>
      `SELECT ${names.watch}(${quoteLiteral(table.schema)}, ${quoteLiteral(table.name)}, ${options.maxRowsPerStatement});`,
  );
  return [
    `SET LOCAL lock_timeout = '5s';`,
    `SELECT pg_advisory_xact_lock(${names.installLock});`,
    names.schema === 'public' ? '' : `CREATE SCHEMA IF NOT EXISTS ${names.log.split('.')[0]};`,
    `CREATE TABLE IF NOT EXISTS ${names.log} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  table_name text NOT NULL,
  keys jsonb
);`,
    `CREATE INDEX IF NOT EXISTS ${indexName(options)} ON ${names.log} (xid);`,
    `CREATE TABLE IF NOT EXISTS ${names.state} (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  pruned_through xid8 NOT NULL DEFAULT '0'
);`,
    `INSERT INTO ${names.state} DEFAULT VALUES ON CONFLICT DO NOTHING;`,
    watchFunction(names),
    ...watchCalls,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The SQL that removes the log, its state, every capture function and (with them) every trigger. */
export function removeSql(options: ResolvedSqlOptions): string {
  const names = feedNames(options);
  const prefix = quoteLiteral(names.capturePrefix);
  return `SELECT pg_advisory_xact_lock(${names.installLock});
DO $hydracache$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = ${quoteLiteral(names.schema)} AND left(p.proname, ${names.capturePrefix.length}) = ${prefix}
  LOOP
    EXECUTE format('DROP FUNCTION %s CASCADE', f);
  END LOOP;
END
$hydracache$;
DROP FUNCTION IF EXISTS ${names.watch}(text, text, integer);
DROP TABLE IF EXISTS ${names.log}, ${names.state};`;
}

function indexName(options: ResolvedSqlOptions): string {
  return quoteIdent(`${options.logName}_xid`);
}

/**
 * `<log>_watch(schema, table, max_rows)`: (re)creates the table's capture function when its text
 * changed, and its triggers when missing, so a repeated install takes no lock on a watched table.
 * The capture function runs as its owner (SECURITY DEFINER, with a fixed search_path), so any role
 * that may write the table may record the write.
 */
function watchFunction(names: FeedNames): string {
  const prefix = names.capturePrefix;
  return `CREATE OR REPLACE FUNCTION ${names.watch}(tschema text, tname text, max_rows integer)
RETURNS void LANGUAGE plpgsql AS $hydracache$
DECLARE
  target regclass := to_regclass(format('%I.%I', tschema, tname));
  pk text[];
  fn text := ${quoteLiteral(prefix)} || left(md5(tschema || '.' || tname), 12);
  fq text := format('%I.%I', ${quoteLiteral(names.schema)}, fn);
  keyx text;
  src text;
  trig record;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'hydracache: table %.% does not exist', tschema, tname USING ERRCODE = 'undefined_table';
  END IF;
  SELECT array_agg(a.attname::text ORDER BY k.ord) INTO pk
    FROM pg_index i
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = target AND i.indisprimary;
  keyx := CASE WHEN pk IS NULL THEN 'NULL::jsonb' ELSE
    'jsonb_build_array(' || (SELECT string_agg(format('r.%I::text', c), ', ') FROM unnest(pk) AS c) || ')' END;
  src := format($capture$
DECLARE n bigint; k jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT count(*), jsonb_agg(x) INTO n, k FROM (SELECT %1$s AS x FROM hydracache_new r LIMIT %2$s) s;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT count(*), jsonb_agg(x) INTO n, k FROM (
      (SELECT %1$s AS x FROM hydracache_new r LIMIT %2$s) UNION (SELECT %1$s FROM hydracache_old r LIMIT %2$s)) s;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT count(*), jsonb_agg(x) INTO n, k FROM (SELECT %1$s AS x FROM hydracache_old r LIMIT %2$s) s;
  ELSE
    n := 1;
  END IF;
  IF n = 0 THEN RETURN NULL; END IF;
  IF n > %3$s OR %4$s THEN k := NULL; END IF;
  INSERT INTO %5$s (table_name, keys) VALUES (%6$L, k);
  PERFORM pg_notify(%7$L, '');
  RETURN NULL;
END
$capture$, keyx, max_rows + 1, max_rows, (pk IS NULL)::text, ${quoteLiteral(names.log)}, tschema || '.' || tname, ${quoteLiteral(names.channel)});
  IF src IS DISTINCT FROM (SELECT p.prosrc FROM pg_proc p WHERE p.oid = to_regprocedure(fq || '()')) THEN
    EXECUTE format('CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L', fq, src);
  END IF;
  FOR trig IN SELECT * FROM (VALUES
      ('ins', 'INSERT', 'REFERENCING NEW TABLE AS hydracache_new'),
      ('upd', 'UPDATE', 'REFERENCING OLD TABLE AS hydracache_old NEW TABLE AS hydracache_new'),
      ('del', 'DELETE', 'REFERENCING OLD TABLE AS hydracache_old'),
      ('trunc', 'TRUNCATE', '')) AS t(suffix, event, refs)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = ${quoteLiteral(names.triggerPrefix)} || trig.suffix) THEN
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
        ${quoteLiteral(names.triggerPrefix)} || trig.suffix, trig.event, target, trig.refs, fq);
    END IF;
  END LOOP;
END
$hydracache$;`;
}
