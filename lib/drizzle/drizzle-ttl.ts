import type { CacheConfig } from 'drizzle-orm/cache/core/types';

/**
 * The time to live in ms a query's `.$withCache({ config })` asks for (`px`, `ex` in seconds, or
 * an absolute `pxat` / `exat`), else `fallback`. Zero or less means "already expired": not stored.
 */
export function ttlOf(
  config: CacheConfig | undefined,
  fallback: number | undefined,
): number | undefined {
  if (config === undefined) return fallback;
  if (config.px !== undefined) return config.px;
  if (config.ex !== undefined) return config.ex * 1000;
  if (config.pxat !== undefined) return config.pxat - Date.now();
  if (config.exat !== undefined) return config.exat * 1000 - Date.now();
  return fallback;
}
