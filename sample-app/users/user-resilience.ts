/**
 * How the users read path rides out a database outage (the `@Cached` options of
 * `UsersService.findOne`; its TTL is the cache's `CACHE_TTL_MS`, 60 s by default):
 * - `grace` 10 min: a user up to 10 minutes past its TTL may still be served, stale, rather than
 *   an error page;
 * - `timeout` 500 ms: with a stale user at hand, a reader waits at most this long for a slow
 *   database before getting the stale user (the refresh finishes in the background);
 * - `hardTimeout` 2 s: a query never holds a reader longer; with a stale user, fail-safe serves it,
 *   without one the reader gets `E_LOAD_TIMEOUT`;
 * - `failSafeBackoff` 3 s: once fail-safe stood in for a failed query, that user is not queried
 *   again for 3 s: a failing database sees at most one query per user every 3 s.
 */
export const USER_READ_RESILIENCE = {
  grace: 600_000,
  timeout: 500,
  hardTimeout: 2_000,
  failSafeBackoff: 3_000,
} as const;
