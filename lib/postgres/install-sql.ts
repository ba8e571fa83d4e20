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
 * triggers (INSERT, UPDATE and DELETE with transition tables, TRUNCATE), on the table and on each
 * of its partitions; a registry of the watched tables, and (for a superuser) an event trigger that
 * watches partitions added later and a changed primary key in the DDL's own transaction. The
 * capture function's primary-key columns are read from pg_index when it is created.
 */
export function installSql(options: ResolvedSqlOptions): string {
  const names = feedNames(options);
  const watchCalls = options.tables.map(
    (table) =>
      `SELECT ${names.watch}(${quoteLiteral(table.schema)}, ${quoteLiteral(table.name)}, ${options.maxRowsPerStatement}, ${options.notify});`,
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
    `CREATE INDEX IF NOT EXISTS ${indexName(options)} ON ${names.log} (xid, id);`,
    `CREATE TABLE IF NOT EXISTS ${names.state} (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  pruned_through xid8 NOT NULL DEFAULT '0'
);`,
    `INSERT INTO ${names.state} DEFAULT VALUES ON CONFLICT DO NOTHING;`,
    `CREATE TABLE IF NOT EXISTS ${names.tables} (
  schema_name text NOT NULL,
  table_name text NOT NULL,
  row_limit integer NOT NULL,
  rings boolean NOT NULL,
  PRIMARY KEY (schema_name, table_name)
);`,
    watchFunction(names),
    ...watchCalls,
    partitionWatch(names),
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * The SQL that removes the log, its state, the table registry, the partition event trigger, every
 * capture function and (with them) every trigger.
 */
export function removeSql(options: ResolvedSqlOptions): string {
  const names = feedNames(options);
  const prefix = quoteLiteral(names.capturePrefix);
  return `SELECT pg_advisory_xact_lock(${names.installLock});
DROP EVENT TRIGGER IF EXISTS ${quoteIdent(names.ddlTrigger)};
DROP FUNCTION IF EXISTS ${names.onDdl}();
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
DROP FUNCTION IF EXISTS ${names.watch}(text, text, integer, boolean);
DROP TABLE IF EXISTS ${names.log}, ${names.state}, ${names.tables};`;
}

/**
 * Partitions created or attached after the install: an event trigger at the end of every
 * `CREATE TABLE` / `ALTER TABLE` watches them in the same transaction, so a write straight into a
 * new partition is never missed. Creating an event trigger needs a superuser; without one (or on a
 * server that has none, like PGlite) the install goes on without it, and a partition added later
 * is watched from the next install (any instance's connect, or the migration that adds it running
 * the install SQL). Its function never fails the DDL it follows: it warns instead.
 */
function partitionWatch(names: FeedNames): string {
  return `CREATE OR REPLACE FUNCTION ${names.onDdl}() RETURNS event_trigger LANGUAGE plpgsql AS $hydracache$
DECLARE
  cmd record;
  w record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'table' LOOP
    FOR w IN SELECT t.* FROM ${names.tables} t
      WHERE to_regclass(format('%I.%I', t.schema_name, t.table_name))
        IN (SELECT cmd.objid::regclass UNION SELECT relid FROM pg_partition_ancestors(cmd.objid))
    LOOP
      PERFORM ${names.watch}(w.schema_name, w.table_name, w.row_limit, w.rings);
    END LOOP;
  END LOOP;
EXCEPTION WHEN others THEN
  RAISE WARNING 'hydracache: could not watch a new partition (%): run the change feed install again', SQLERRM;
END
$hydracache$;
DO $hydracache$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = ${quoteLiteral(names.ddlTrigger)})
     AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    BEGIN
      CREATE EVENT TRIGGER ${quoteIdent(names.ddlTrigger)} ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
        EXECUTE FUNCTION ${names.onDdl}();
    EXCEPTION WHEN others THEN
      RAISE NOTICE 'hydracache: no event trigger (%): partitions added later are watched from the next install', SQLERRM;
    END;
  END IF;
END
$hydracache$;`;
}

function indexName(options: ResolvedSqlOptions): string {
  return quoteIdent(`${options.logName}_xid_id`);
}

/**
 * `<log>_watch(schema, table, max_rows, notify)`: (re)creates the table's capture function when its text
 * changed, and its triggers when missing, so a repeated install takes no lock on a watched table.
 * The capture function runs as its owner (SECURITY DEFINER, with a fixed search_path), so any role
 * that may write the table may record the write.
 */
function watchFunction(names: FeedNames): string {
  const prefix = names.capturePrefix;
  return `CREATE OR REPLACE FUNCTION ${names.watch}(tschema text, tname text, max_rows integer, notify boolean)
RETURNS void LANGUAGE plpgsql AS $hydracache$
DECLARE
  target regclass := to_regclass(format('%I.%I', tschema, tname));
  pk text[];
  fn text := ${quoteLiteral(prefix)} || left(md5(tschema || '.' || tname), 12);
  fq text := format('%I.%I', ${quoteLiteral(names.schema)}, fn);
  keyx text;
  src text;
  trig record;
  part record;
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
  -- One statement per call: the log row straight from the transition table (none when the
  -- statement touched no row), the keys NULL past max_rows or without a primary key.
  src := format($capture$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO %5$s (table_name, keys) SELECT %6$L, CASE WHEN count(*) > %3$s OR %4$s THEN NULL ELSE jsonb_agg(x) END
      FROM (SELECT %1$s AS x FROM hydracache_new r LIMIT %2$s) s HAVING count(*) > 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO %5$s (table_name, keys) SELECT %6$L, CASE WHEN count(*) > %3$s OR %4$s THEN NULL ELSE jsonb_agg(x) END
      FROM ((SELECT %1$s AS x FROM hydracache_new r LIMIT %2$s) UNION (SELECT %1$s FROM hydracache_old r LIMIT %2$s)) s
      HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO %5$s (table_name, keys) SELECT %6$L, CASE WHEN count(*) > %3$s OR %4$s THEN NULL ELSE jsonb_agg(x) END
      FROM (SELECT %1$s AS x FROM hydracache_old r LIMIT %2$s) s HAVING count(*) > 0;
  ELSE
    INSERT INTO %5$s (table_name, keys) VALUES (%6$L, NULL);
  END IF;
  %7$s
  RETURN NULL;
END
$capture$, keyx, max_rows + 1, max_rows, (pk IS NULL)::text, ${quoteLiteral(names.log)}, tschema || '.' || tname,
    CASE WHEN notify THEN format('IF FOUND THEN PERFORM pg_notify(%L, %L); END IF;', ${quoteLiteral(names.channel)}, '') ELSE '' END);
  IF src IS DISTINCT FROM (SELECT p.prosrc FROM pg_proc p WHERE p.oid = to_regprocedure(fq || '()')) THEN
    EXECUTE format('CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L', fq, src);
  END IF;
  INSERT INTO ${names.tables} AS w VALUES (tschema, tname, max_rows, notify)
    ON CONFLICT (schema_name, table_name) DO UPDATE SET row_limit = EXCLUDED.row_limit, rings = EXCLUDED.rings
    WHERE (w.row_limit, w.rings) IS DISTINCT FROM (EXCLUDED.row_limit, EXCLUDED.rings);
  -- A partitioned table: a statement names one table of the tree and fires only that table's
  -- statement triggers, so every partition (sub-partitioned ones too) gets them, recording the
  -- watched table's name. A statement through the parent is still recorded once.
  FOR part IN SELECT target AS relid UNION SELECT relid FROM pg_partition_tree(target) LOOP
  FOR trig IN SELECT * FROM (VALUES
      ('ins', 'INSERT', 'REFERENCING NEW TABLE AS hydracache_new'),
      ('upd', 'UPDATE', 'REFERENCING OLD TABLE AS hydracache_old NEW TABLE AS hydracache_new'),
      ('del', 'DELETE', 'REFERENCING OLD TABLE AS hydracache_old'),
      ('trunc', 'TRUNCATE', '')) AS t(suffix, event, refs)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part.relid AND tgname = ${quoteLiteral(names.triggerPrefix)} || trig.suffix) THEN
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s()',
        ${quoteLiteral(names.triggerPrefix)} || trig.suffix, trig.event, part.relid, trig.refs, fq);
    END IF;
    -- ALWAYS: also in sessions with session_replication_role = replica (bulk loaders and
    -- replication tools set it to skip triggers), whose writes change the data all the same.
    IF (SELECT tgenabled FROM pg_trigger WHERE tgrelid = part.relid AND tgname = ${quoteLiteral(names.triggerPrefix)} || trig.suffix) <> 'A' THEN
      EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', part.relid, ${quoteLiteral(names.triggerPrefix)} || trig.suffix);
    END IF;
  END LOOP;
  END LOOP;
END
$hydracache$;`;
}
