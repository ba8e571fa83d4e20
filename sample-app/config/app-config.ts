import { DB_FAULTS, isDbFault, type DbFault } from '../database/db-fault.js';
import { readInteger, readText } from './env.js';

/** Connection names and channels: what Redis accepts in names (see redisBus `channel`). */
const NAME = /^[A-Za-z0-9._:-]{1,100}$/;
const NAME_EXPECTED = '1 to 100 of letters, digits and . _ : -';
/** A Postgres schema name the sample creates (unquoted identifier rules). */
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const FAULT = new RegExp(`^(${DB_FAULTS.join('|')})$`);

/** The sample app's settings, read once from environment variables and validated. */
export class AppConfig {
  constructor(
    /** HTTP port (`PORT`, default 3000; 0 picks a free port). */
    readonly port: number = 3000,
    /** Default cache TTL in milliseconds (`CACHE_TTL_MS`, default 60 000). */
    readonly cacheTtlMs: number = 60_000,
    /** Cache capacity in entries (`CACHE_MAX_ENTRIES`, default 1 000). */
    readonly cacheMaxEntries: number = 1_000,
    /** Simulated network round trip added to every query, in milliseconds (`DB_LATENCY_MS`, default 40). */
    readonly dbLatencyMs: number = 40,
    /**
     * Redis shared by every instance (`REDIS_URL`, a redis:// URL; default unset). When set, the
     * cache joins the bus there, so an invalidation on one instance reaches the others at once.
     */
    readonly redisUrl: string | undefined = undefined,
    /** Bus channel of this application (`REDIS_CHANNEL`, default `sample-app`). */
    readonly redisChannel: string = 'sample-app',
    /** Postgres schema of the sample's tables, created if missing (`DB_SCHEMA`, default `public`). */
    readonly dbSchema: string = 'public',
    /** This instance's name in Redis connection names and logs (`INSTANCE_NAME`, default random). */
    readonly instanceName: string | undefined = undefined,
    /** Fault the database starts with (`DB_FAULT`: none, fail or stall; default none). */
    readonly dbFault: DbFault = 'none',
    /**
     * The Postgres every instance shares (`DATABASE_URL`, a postgres:// URL; default unset). Unset,
     * each process runs its own embedded Postgres (PGlite) in memory: nothing to install.
     */
    readonly databaseUrl: string | undefined = undefined,
  ) {}

  /** Reads the environment; throws one error listing every invalid variable. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const values = [
      readInteger(env, 'PORT', { default: 3000, min: 0, max: 65_535, unit: 'TCP port' }),
      readInteger(env, 'CACHE_TTL_MS', { default: 60_000, min: 1, unit: 'milliseconds' }),
      readInteger(env, 'CACHE_MAX_ENTRIES', { default: 1_000, min: 1, unit: 'entries' }),
      readInteger(env, 'DB_LATENCY_MS', { default: 40, min: 0, max: 10_000, unit: 'milliseconds' }),
    ];
    const texts = [
      readText(env, 'REDIS_URL', { pattern: /^rediss?:\/\/\S+$/, expected: 'a redis:// URL' }),
      readText(env, 'REDIS_CHANNEL', { pattern: NAME, expected: NAME_EXPECTED }),
      readText(env, 'DB_SCHEMA', { pattern: SCHEMA, expected: 'a lower-case schema name' }),
      readText(env, 'INSTANCE_NAME', { pattern: NAME, expected: NAME_EXPECTED }),
      readText(env, 'DB_FAULT', { pattern: FAULT, expected: `one of ${DB_FAULTS.join(', ')}` }),
      readText(env, 'DATABASE_URL', {
        pattern: /^postgres(ql)?:\/\/\S+$/,
        expected: 'a postgres:// URL',
      }),
    ];
    const problems = [...values, ...texts].filter(
      (value): value is string => typeof value === 'string',
    );
    if (problems.length > 0) {
      throw new Error(`Invalid configuration: ${problems.join('; ')}.`);
    }
    const [port, cacheTtlMs, cacheMaxEntries, dbLatencyMs] = values as number[];
    const [redisUrl, channel, schema, instance, fault, databaseUrl] = (
      texts as ({ value: string } | undefined)[]
    ).map((text) => text?.value);
    return new AppConfig(
      port,
      cacheTtlMs,
      cacheMaxEntries,
      dbLatencyMs,
      redisUrl,
      channel ?? 'sample-app',
      schema ?? 'public',
      instance,
      isDbFault(fault) ? fault : 'none',
      databaseUrl,
    );
  }
}
