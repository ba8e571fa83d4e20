import { DB_FAULTS, isDbFault, type DbFault } from '../database/db-fault.js';
import { readInteger, readText } from './env.js';

/** Connection names and channels: what Redis accepts in names (see redisBus `channel`). */
const NAME = /^[A-Za-z0-9._:-]{1,100}$/;
const NAME_EXPECTED = '1 to 100 of letters, digits and . _ : -';
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
    /** Simulated round trip of the fake database in milliseconds (`DB_LATENCY_MS`, default 40). */
    readonly dbLatencyMs: number = 40,
    /**
     * Redis shared by every instance (`REDIS_URL`, a redis:// URL; default unset). When set, the
     * cache joins the bus there and the fake database keeps its rows there, so instances agree.
     */
    readonly redisUrl: string | undefined = undefined,
    /** Bus channel of this application (`REDIS_CHANNEL`, default `sample-app`). */
    readonly redisChannel: string = 'sample-app',
    /** Prefix of the fake database's Redis keys (`DB_NAMESPACE`, default `hydracache-sample`). */
    readonly dbNamespace: string = 'hydracache-sample',
    /** This instance's name in Redis connection names and logs (`INSTANCE_NAME`, default random). */
    readonly instanceName: string | undefined = undefined,
    /** Fault the fake database starts with (`DB_FAULT`: none, fail or stall; default none). */
    readonly dbFault: DbFault = 'none',
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
      readText(env, 'DB_NAMESPACE', { pattern: NAME, expected: NAME_EXPECTED }),
      readText(env, 'INSTANCE_NAME', { pattern: NAME, expected: NAME_EXPECTED }),
      readText(env, 'DB_FAULT', { pattern: FAULT, expected: `one of ${DB_FAULTS.join(', ')}` }),
    ];
    const problems = [...values, ...texts].filter(
      (value): value is string => typeof value === 'string',
    );
    if (problems.length > 0) {
      throw new Error(`Invalid configuration: ${problems.join('; ')}.`);
    }
    const [port, cacheTtlMs, cacheMaxEntries, dbLatencyMs] = values as number[];
    const [redisUrl, channel, namespace, instance, fault] = (
      texts as ({ value: string } | undefined)[]
    ).map((text) => text?.value);
    return new AppConfig(
      port,
      cacheTtlMs,
      cacheMaxEntries,
      dbLatencyMs,
      redisUrl,
      channel ?? 'sample-app',
      namespace ?? 'hydracache-sample',
      instance,
      isDbFault(fault) ? fault : 'none',
    );
  }
}
