import type { TagHeader } from './cache-route.decorator.js';

/** How the interceptor handled a request, as RFC 9211 `Cache-Status` reports it. */
export type CacheOutcome = 'hit' | 'stale' | 'stored' | 'collapsed' | 'not-stored' | 'bypass';

/** The `Cache-Status` value of each outcome (RFC 9211; this cache's name is `hydracache`). */
export const CACHE_STATUS: Readonly<Record<CacheOutcome, string>> = {
  hit: 'hydracache; hit',
  stale: 'hydracache; fwd=stale',
  stored: 'hydracache; fwd=miss; stored',
  collapsed: 'hydracache; fwd=miss; collapsed',
  'not-stored': 'hydracache; fwd=miss',
  bypass: 'hydracache; fwd=bypass',
};

/** Writes response headers through the HTTP adapter, Express or Fastify alike. */
export interface HeaderWriter {
  /** Sets `name`, replacing any value. */
  set(name: string, value: string): void;
  /** Adds to `name`, keeping what is there (for `Vary`, which CORS may have set). */
  append(name: string, value: string): void;
}

/** What the caching headers of one response are computed from. */
export interface CacheHeaderFacts {
  readonly outcome: CacheOutcome;
  /** True when the body came from, or went into, a cache entry (`Age`, tags). */
  readonly cached: boolean;
  /** The entry's ETag; absent when nothing was cached or it is computed from the bytes sent. */
  readonly etag?: string;
  /** Seconds since the entry was stored. */
  readonly age?: number;
  /** `max-age` in seconds for a shared-cacheable response; undefined means `private`. */
  readonly maxAge?: number;
  /** With `maxAge`: `stale-while-revalidate` and `stale-if-error` in seconds. */
  readonly staleSeconds?: number;
  /** Request headers the key includes, sent back in `Vary`. */
  readonly vary?: readonly string[];
  /** Tags to expose, with the header that carries them. */
  readonly tags?: { readonly header: TagHeader; readonly values: readonly string[] };
  /** The `Cache-Control` already on the response (from `@Header()` or the handler), kept as is. */
  readonly cacheControl?: unknown;
}

/**
 * Writes `Cache-Status`, `X-Cache` (HIT or MISS, as `@nestjs/cache-manager` sends),
 * `Cache-Control` (unless the route set one) and `Vary`; for a cached body also `ETag`, `Age`
 * and, when asked for, the tag header.
 */
export function writeCacheHeaders(headers: HeaderWriter, facts: CacheHeaderFacts): void {
  const set = (name: string, value: string) => headers.set(name, value);
  set('Cache-Status', CACHE_STATUS[facts.outcome]);
  // A stale answer came from the cache too: HIT for clients that only read X-Cache.
  set('X-Cache', facts.outcome === 'hit' || facts.outcome === 'stale' ? 'HIT' : 'MISS');
  if (facts.cacheControl === undefined) set('Cache-Control', cacheControl(facts));
  if (facts.vary !== undefined && facts.vary.length > 0)
    headers.append('Vary', facts.vary.join(', '));
  if (!facts.cached) return;
  if (facts.etag !== undefined) set('ETag', facts.etag);
  set('Age', String(facts.age ?? 0));
  const tags = facts.tags;
  if (tags !== undefined && tags.values.length > 0) {
    set(tags.header, tags.values.join(tags.header === 'Surrogate-Key' ? ' ' : ','));
  }
}

function cacheControl({ maxAge, staleSeconds }: CacheHeaderFacts): string {
  if (maxAge === undefined) return 'private';
  const stale =
    staleSeconds === undefined
      ? ''
      : `, stale-while-revalidate=${staleSeconds}, stale-if-error=${staleSeconds}`;
  return `public, max-age=${maxAge}${stale}`;
}
