import { readInteger } from './env.js';

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
  ) {}

  /** Reads the environment; throws one error listing every invalid variable. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const values = [
      readInteger(env, 'PORT', { default: 3000, min: 0, max: 65_535, unit: 'TCP port' }),
      readInteger(env, 'CACHE_TTL_MS', { default: 60_000, min: 1, unit: 'milliseconds' }),
      readInteger(env, 'CACHE_MAX_ENTRIES', { default: 1_000, min: 1, unit: 'entries' }),
      readInteger(env, 'DB_LATENCY_MS', { default: 40, min: 0, max: 10_000, unit: 'milliseconds' }),
    ];
    const problems = values.filter((value) => typeof value === 'string');
    if (problems.length > 0) {
      throw new Error(`Invalid configuration: ${problems.join('; ')}.`);
    }
    const [port, cacheTtlMs, cacheMaxEntries, dbLatencyMs] = values as number[];
    return new AppConfig(port, cacheTtlMs, cacheMaxEntries, dbLatencyMs);
  }
}
