import pg from 'pg';

const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'];

/** The tenants the sample app starts with: `[id, name, plan]`. */
const TENANTS = [
  ['acme', 'Acme Corp', 'enterprise'],
  ['globex', 'Globex', 'team'],
] as const;

/** A quoted Postgres identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Creates the sample's tables in `schema` when missing and seeds them once: five users (ids 1 to
 * 5) in each of two tenants. Safe when several instances start together: one transaction under
 * an advisory lock, and the seed only goes into an empty `tenants` table. Resolves true when the
 * server is PGlite (whose NOTIFY never reaches another connection).
 */
export async function ensureSchema(url: string, schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const s = quoteIdent(schema);
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('hydracache-sample:schema'))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.tenants (
      id text PRIMARY KEY,
      name text NOT NULL,
      plan text NOT NULL DEFAULT 'free'
    )`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.users (
      tenant text NOT NULL REFERENCES ${s}.tenants (id),
      id int NOT NULL,
      name text NOT NULL,
      email text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, id)
    )`);
    const { rows } = await client.query(`SELECT 1 FROM ${s}.tenants LIMIT 1`);
    if (rows.length === 0) await seed(client, s);
    await client.query('COMMIT');
    const { rows: version } = await client.query<{ version: string }>('SELECT version()');
    return version[0]!.version.includes('PGlite');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function seed(client: pg.Client, s: string): Promise<void> {
  for (const [id, name, plan] of TENANTS) {
    await client.query(`INSERT INTO ${s}.tenants (id, name, plan) VALUES ($1, $2, $3)`, [
      id,
      name,
      plan,
    ]);
    for (const [i, user] of NAMES.entries()) {
      const email = `${user.split(' ')[0]!.toLowerCase()}@${id}.example`;
      await client.query(
        `INSERT INTO ${s}.users (tenant, id, name, email, updated_at)
         VALUES ($1, $2, $3, $4, '2026-01-05T09:00:00Z')`,
        [id, i + 1, user, email],
      );
    }
  }
}
