import { USER_READ_RESILIENCE } from '../users/user-resilience.js';
import type { Reply } from './http-client.js';

/** What a step must observe; every field given is checked against the step's deltas. */
export interface Expectation {
  /** HTTP status of every reply. */
  readonly status: number;
  /** Queries the app sent to the database during the step. */
  readonly queries: number;
  /** Loader runs the cache started during the step. */
  readonly loads?: number;
  /** Entries removed by invalidation during the step. */
  readonly invalidations?: number;
  /** Change in the number of cached entries. */
  readonly sizeChange?: number;
  /** Times fail-safe stood in for a failed load during the step. */
  readonly failSafeActivations?: number;
  /** Answers served from an entry past its TTL during the step. */
  readonly staleHits?: number;
}

/**
 * One request (or `times` concurrent identical requests) of the tour, or with method `SQL` one
 * statement run straight on the database, as psql would (its `status` is the rows it changed).
 */
export interface TourStep {
  readonly name: string;
  readonly method: 'GET' | 'PATCH' | 'PUT' | 'POST' | 'SQL';
  /** The request path, or the SQL statement. */
  readonly path: string;
  readonly body?: unknown;
  /** How many identical requests to send at once. Default: 1. */
  readonly times?: number;
  /** Real time (ms) to wait before sending, e.g. to let a backoff pass. Default: 0. */
  readonly pauseMs?: number;
  /**
   * Invalidations the change feed (or bus) must have applied before the step's counters are
   * read: the step waits for them (5 s at most), since the feed applies a commit asynchronously.
   */
  readonly awaitChanges?: number;
  readonly expect: Expectation;
  /** Extra check on the replies: returns what went wrong, or undefined. */
  readonly verify?: (replies: readonly Reply[]) => string | undefined;
}

/** Concurrent requests for one cold key in the single-flight step. */
export const STAMPEDE = 200;

/** The user the outage steps read: cached (as "Ada King") by the steps before them. */
const OUTAGE_USER = '/tenants/acme/users/1';

/** Checks a reply carries the user as cached before the outage. */
const staleAdaKing = ([reply]: readonly Reply[]): string | undefined =>
  (reply.body as { name?: string }).name === 'Ada King'
    ? undefined
    : 'the read did not return the cached user';

/**
 * A database outage: the user's entry is expired (as its TTL passing would), the database fails,
 * and fail-safe keeps answering 200 with the stale user; once the database is back and the
 * fail-safe backoff has passed, the next read is fresh again.
 */
const OUTAGE_TOUR: readonly TourStep[] = [
  {
    name: 'expire the user (admin)',
    method: 'POST',
    path: '/admin/cache/expire',
    body: { key: 'users:tenant:acme:user:1' },
    expect: { status: 200, queries: 0, loads: 0, sizeChange: 0 },
    verify: ([reply]) =>
      (reply.body as { expired?: number }).expired === 1 ? undefined : 'expected 1 expired entry',
  },
  {
    name: 'database goes down',
    method: 'PUT',
    path: '/admin/database',
    body: { fault: 'fail' },
    expect: { status: 200, queries: 0, loads: 0 },
  },
  {
    name: 'outage: fail-safe, stale user',
    method: 'GET',
    path: OUTAGE_USER,
    expect: { status: 200, queries: 1, loads: 1, failSafeActivations: 1, staleHits: 1 },
    verify: staleAdaKing,
  },
  {
    name: 'outage: loader rests (backoff)',
    method: 'GET',
    path: OUTAGE_USER,
    expect: { status: 200, queries: 0, loads: 0, failSafeActivations: 0, staleHits: 1 },
    verify: staleAdaKing,
  },
  {
    name: 'database is back',
    method: 'PUT',
    path: '/admin/database',
    body: { fault: 'none' },
    expect: { status: 200, queries: 0, loads: 0 },
  },
  {
    name: `after the ${USER_READ_RESILIENCE.failSafeBackoff / 1000} s backoff: fresh`,
    method: 'GET',
    path: OUTAGE_USER,
    pauseMs: USER_READ_RESILIENCE.failSafeBackoff + 100,
    expect: { status: 200, queries: 1, loads: 1, failSafeActivations: 0, staleHits: 0 },
    verify: staleAdaKing,
  },
  {
    name: 'fresh entry: a hit',
    method: 'GET',
    path: OUTAGE_USER,
    expect: { status: 200, queries: 0, loads: 0, staleHits: 0 },
  },
];

/** The scripted tour: what a newcomer should see the cache do. */
export const TOUR: readonly TourStep[] = [
  {
    name: 'cold miss',
    method: 'GET',
    path: '/tenants/acme/users/1',
    expect: { status: 200, queries: 1, loads: 1, sizeChange: 1 },
  },
  {
    name: 'warm hit',
    method: 'GET',
    path: '/tenants/acme/users/1',
    expect: { status: 200, queries: 0, loads: 0 },
  },
  {
    name: 'same id, other tenant',
    method: 'GET',
    path: '/tenants/globex/users/1',
    expect: { status: 200, queries: 1, loads: 1, sizeChange: 1 },
  },
  {
    name: `${STAMPEDE} concurrent, cold key`,
    method: 'GET',
    path: '/tenants/acme/users/2',
    times: STAMPEDE,
    expect: { status: 200, queries: 1, loads: 1, sizeChange: 1 },
    verify: (replies) =>
      new Set(replies.map((reply) => JSON.stringify(reply.body))).size === 1
        ? undefined
        : 'the concurrent requests got different bodies',
  },
  {
    // The row tag is invalidated here at once; the change feed then applies the same commit
    // (removing nothing more): the step waits for it, so it cannot land after the reload.
    name: 'update, invalidates by tag',
    method: 'PATCH',
    path: '/tenants/acme/users/1',
    body: { name: 'Ada King' },
    awaitChanges: 1,
    expect: { status: 200, queries: 1, loads: 0, invalidations: 1, sizeChange: -1 },
  },
  {
    name: 'reload after the update',
    method: 'GET',
    path: '/tenants/acme/users/1',
    expect: { status: 200, queries: 1, loads: 1, sizeChange: 1 },
    verify: ([reply]) =>
      (reply.body as { name?: string }).name === 'Ada King'
        ? undefined
        : 'the reload did not return the updated name',
  },
  {
    name: 'other tenant untouched',
    method: 'GET',
    path: '/tenants/globex/users/1',
    expect: { status: 200, queries: 0, loads: 0 },
  },
  {
    name: 'missing id: 404',
    method: 'GET',
    path: '/tenants/acme/users/999',
    expect: { status: 404, queries: 1, loads: 1, sizeChange: 0 },
  },
  {
    name: '404 again: not cached',
    method: 'GET',
    path: '/tenants/acme/users/999',
    expect: { status: 404, queries: 1, loads: 1, sizeChange: 0 },
  },
  ...OUTAGE_TOUR,
  {
    name: 'psql UPDATE, outside the app',
    method: 'SQL',
    path: "UPDATE users SET name = 'Ada Byron' WHERE tenant = 'acme' AND id = 1",
    awaitChanges: 1,
    expect: { status: 1, queries: 0, loads: 0, invalidations: 1, sizeChange: -1 },
  },
  {
    name: 'next read: the psql write',
    method: 'GET',
    path: '/tenants/acme/users/1',
    expect: { status: 200, queries: 1, loads: 1, sizeChange: 1 },
    verify: ([reply]) =>
      (reply.body as { name?: string }).name === 'Ada Byron'
        ? undefined
        : 'the read did not return the row psql wrote',
  },
];
