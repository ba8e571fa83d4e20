import type { QueryRunner } from 'typeorm';
import type { QueryResultCacheOptions } from './typeorm-cache.types.js';

/**
 * How long (ms) callers joining a leader's query wait for it before running their own. A query
 * that fails settles its ticket at once (TypeORM reports the failure); this bounds only the rare
 * case where TypeORM fails between the query and `storeInCache` (rows it cannot serialise). The
 * leader itself may still store its result later, through the same stale-load check.
 */
export const LEADER_TIMEOUT_MS = 30_000;

/**
 * The miss of a query that leads a load: handed to TypeORM as the "saved" cache entry (always
 * expired, so TypeORM runs the query) and given back to `storeInCache`, which settles the load
 * with the result. Routing the store through the cache's get-or-load keeps its single-flight and
 * stale-load safety: a write committed while the query ran supersedes the load, so it stores
 * nothing.
 */
export class QueryTicket implements QueryResultCacheOptions {
  readonly time = 0;
  readonly result = undefined;
  /** The load's result: the JSON text TypeORM stores. */
  readonly promise: Promise<string>;
  #resolve!: (json: string) => void;
  #reject!: (error: unknown) => void;
  #settled = false;

  constructor(
    /** The runner that runs the query (TypeORM passes it to both calls). */
    readonly runner: QueryRunner | undefined,
    /** The SQL text without parameters, as the runner reports it. */
    readonly sql: string,
    readonly identifier: string | undefined,
    readonly query: string | undefined,
    readonly duration: number,
    private readonly onSettled: (ticket: QueryTicket) => void,
  ) {
    this.promise = new Promise<string>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** True until the result is stored or the load failed. */
  get live(): boolean {
    return !this.#settled;
  }

  /** The query ran: hands its JSON result to the load (which stores it unless it went stale). */
  store(json: unknown): void {
    if (typeof json === 'string') this.#settle(() => this.#resolve(json));
    else this.fail(new Error('TypeORM handed no result text to store'));
  }

  /** The query failed, or its result never came: the load fails, its joiners run their own query. */
  fail(error: unknown): void {
    this.#settle(() => this.#reject(error));
  }

  #settle(settle: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    settle();
    this.onSettled(this);
  }
}
