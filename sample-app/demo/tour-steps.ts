import type { Reply } from './http-client.js';

/** What a step must observe; every field given is checked against the step's deltas. */
export interface Expectation {
  /** HTTP status of every reply. */
  readonly status: number;
  /** Queries the fake database answered during the step. */
  readonly queries: number;
  /** Loader runs the cache started during the step. */
  readonly loads?: number;
  /** Entries removed by invalidation during the step. */
  readonly invalidations?: number;
  /** Change in the number of cached entries. */
  readonly sizeChange?: number;
}

/** One request (or `times` concurrent identical requests) of the tour. */
export interface TourStep {
  readonly name: string;
  readonly method: 'GET' | 'PATCH' | 'PUT';
  readonly path: string;
  readonly body?: unknown;
  /** How many identical requests to send at once. Default: 1. */
  readonly times?: number;
  readonly expect: Expectation;
  /** Extra check on the replies: returns what went wrong, or undefined. */
  readonly verify?: (replies: readonly Reply[]) => string | undefined;
}

/** Concurrent requests for one cold key in the single-flight step. */
export const STAMPEDE = 200;

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
    name: 'update, invalidates by tag',
    method: 'PATCH',
    path: '/tenants/acme/users/1',
    body: { name: 'Ada King' },
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
];
