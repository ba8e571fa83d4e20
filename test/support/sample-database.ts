import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AppConfig } from '../../sample-app/config/app-config.js';

/** The machine's Postgres, which the sample-app tests share, each in a schema of its own. */
export const SHARED_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Settings of one sample-app instance under test; every field optional. */
export interface SampleSettings {
  readonly dbLatencyMs?: number;
  readonly redisUrl?: string;
  readonly redisChannel?: string;
  readonly instanceName?: string;
}

/**
 * A fresh schema for one test of the sample app (its tables, seed and change log live there),
 * and the configuration of an instance on it. `drop()` removes it with everything in it.
 */
export function sampleSchema(): {
  schema: string;
  config: (settings?: SampleSettings) => AppConfig;
  drop: () => Promise<void>;
} {
  const schema = `sample_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    config: (settings = {}) =>
      new AppConfig(
        0,
        60_000,
        1_000,
        settings.dbLatencyMs ?? 0,
        settings.redisUrl,
        settings.redisChannel ?? 'sample-app',
        schema,
        settings.instanceName,
        'none',
        SHARED_POSTGRES_URL,
      ),
    drop: async () => {
      await runSql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

/** Runs one statement on the shared Postgres in `schema` (as psql would); resolves with its row count. */
export async function runSql(statement: string, schema?: string): Promise<number> {
  const client = new pg.Client({
    connectionString: SHARED_POSTGRES_URL,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  await client.connect();
  try {
    return (await client.query(statement)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
