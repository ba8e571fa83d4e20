import pg from 'pg';

/** Connection settings of the test server (trust auth). */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;

/**
 * A database of its own for one test file, created empty and dropped (with its connections) by
 * `drop()`: test files running in parallel never see each other's tables or cached results.
 */
export async function createDatabase(
  name: string,
): Promise<{ database: string; drop(): Promise<void> }> {
  const database = `hc_${name}_${process.pid}`;
  const admin = new pg.Client(PG);
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return {
    database,
    async drop() {
      const client = new pg.Client(PG);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A pool whose results can be held back: while `hold` is set, a query whose text contains
 * `marker` runs at once (so it reads the data as it is now) but its result is handed back only
 * when `hold` resolves. Lets a test finish a read after a write it started before.
 */
export class GatedPool extends pg.Pool {
  hold: Promise<void> | undefined;
  marker = 'from "users"';
  /** Resolves when a held query has its result and waits on the gate. */
  onHeld: (() => void) | undefined;
  /** How many queries whose text contains `marker` were sent. */
  marked = 0;

  override query(...args: any[]): any {
    const config = args[0] as { text?: string } | string;
    const text = typeof config === 'string' ? config : (config.text ?? '');
    const gate = this.hold;
    if (text.includes(this.marker)) this.marked++;
    const result = (super.query as (...a: any[]) => Promise<any>).apply(this, args);
    if (gate === undefined || !text.includes(this.marker)) return result;
    this.hold = undefined;
    return result.then(async (value) => {
      this.onHeld?.();
      await gate;
      return value;
    });
  }
}
