import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server's address; every test file creates its own database on it. */
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

/** Set in CI: a missing Postgres fails the Postgres tests instead of skipping them. */
const REQUIRE = Boolean(process.env.HYDRACACHE_REQUIRE_POSTGRES);

/**
 * Resolves to true when Postgres answers at {@link POSTGRES_URL}. When it does not: throws if
 * `HYDRACACHE_REQUIRE_POSTGRES` is set, otherwise prints why the suite is skipped and resolves false.
 */
export async function postgresAvailable(suite: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: `${POSTGRES_URL}/postgres`,
    connectionTimeoutMillis: 2_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const reason = `no Postgres answers at ${POSTGRES_URL} (${(error as Error).message})`;
    if (REQUIRE) throw new Error(`${suite}: ${reason}, and HYDRACACHE_REQUIRE_POSTGRES is set.`);
    console.warn(
      `SKIPPED ${suite}: ${reason} (set HYDRACACHE_REQUIRE_POSTGRES=1 to fail instead).`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database of its own for one test file: `hc_feed_<random>`, dropped by {@link TestDatabase.drop}. */
export class TestDatabase {
  readonly #clients: pg.Client[] = [];

  private constructor(readonly name: string) {}

  /** Creates a fresh database. */
  static async create(): Promise<TestDatabase> {
    const name = `hc_feed_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    return new TestDatabase(name);
  }

  /** `postgres://postgres@127.0.0.1:5432/<name>`. */
  get url(): string {
    return `${POSTGRES_URL}/${this.name}`;
  }

  /** A connected client of its own (ended by {@link drop}); for writes from "another service". */
  async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => undefined);
    await client.connect();
    this.#clients.push(client);
    return client;
  }

  /** Runs `sql` on a short-lived connection. */
  async sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: unknown[],
  ): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Ends every client it handed out, terminates whatever else is connected, and drops the database. */
  async drop(): Promise<void> {
    await Promise.allSettled(this.#clients.map((client) => client.end()));
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [this.name],
    );
    await admin(`DROP DATABASE IF EXISTS ${this.name}`);
  }
}

async function admin(sql: string, values?: unknown[]): Promise<void> {
  const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}
