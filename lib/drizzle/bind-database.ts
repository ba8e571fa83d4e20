import { HydraDrizzleCache } from './hydra-drizzle-cache.js';
import { DrizzleCacheErrors } from './drizzle.errors.js';
import { describe } from '../core/cache.errors.js';
import type { CacheConfig } from 'drizzle-orm/cache/core/types';
import type { CommitScopes } from './commit-scopes.js';

const BOUND = Symbol('hydracache:drizzle-bound');

type Fn = (...args: any[]) => any;

/** The parts of a Drizzle session the binding wraps (pg-core, mysql-core, sqlite-core alike). */
interface DrizzleSession {
  prepareQuery: Fn;
  transaction: Fn;
  [BOUND]?: true;
}

/**
 * Binds `db` to its HydraCache Drizzle cache so the cache learns when writes commit: every
 * statement run outside a transaction and every transaction runs in a scope whose writes are
 * invalidated when it ends (see CommitScopes). Returns `db` itself; binding twice is harmless.
 */
export function hydraDrizzle<D extends object>(db: D): D {
  const { $cache, session } = db as unknown as { $cache?: unknown; session?: DrizzleSession };
  if (!($cache instanceof HydraDrizzleCache)) throw DrizzleCacheErrors.notOurs(describe($cache));
  if (typeof session?.prepareQuery !== 'function' || typeof session.transaction !== 'function') {
    throw DrizzleCacheErrors.unsupportedDriver();
  }
  if (session[BOUND]) return db;
  const scopes = $cache.bind();
  wrapPrepareQuery(session, scopes);
  wrapTransaction(session, scopes);
  session[BOUND] = true;
  return db;
}

/** Runs each prepared query's execution (its `queryWithCache`) in a statement scope that knows its cache config. */
function wrapPrepareQuery(session: DrizzleSession, scopes: CommitScopes): void {
  const prepareQuery = session.prepareQuery;
  session.prepareQuery = function (this: unknown, ...args: unknown[]) {
    const prepared = prepareQuery.apply(this, args) as {
      queryWithCache?: Fn;
      cacheConfig?: { config?: CacheConfig };
    };
    const queryWithCache = prepared.queryWithCache;
    if (typeof queryWithCache === 'function') {
      prepared.queryWithCache = (...queryArgs: unknown[]) =>
        scopes.statement(
          () => queryWithCache.apply(prepared, queryArgs) as Promise<unknown>,
          prepared.cacheConfig?.config,
        );
    }
    return prepared;
  };
}

/** Runs each transaction in a transaction scope, noting when the user's callback returned (before COMMIT). */
function wrapTransaction(session: DrizzleSession, scopes: CommitScopes): void {
  const transaction = session.transaction;
  session.transaction = function (this: unknown, callback: Fn, ...rest: unknown[]) {
    return scopes.transaction(
      (bodyDone) =>
        transaction.call(
          this,
          async (tx: unknown) => {
            const result: unknown = await callback(tx);
            bodyDone();
            return result;
          },
          ...rest,
        ) as Promise<unknown>,
    );
  };
}
