import { entityKind, getTableUniqueName, is, Table } from 'drizzle-orm';
import { Cache, type MutationOption } from 'drizzle-orm/cache/core';
import type { HydraCache } from '../core/hydra-cache.js';
import { tableTag } from '../core/table-tags.js';
import { CommitScopes, type WriteScope } from './commit-scopes.js';
import type { ResolvedDrizzleCacheOptions } from './drizzle-cache.options.js';
import { DrizzleCacheErrors } from './drizzle.errors.js';
import { ttlOf } from './drizzle-ttl.js';
import { plainResponse } from './plain-response.js';
import { LEADER_TIMEOUT_MS, ReadTicket } from './read-ticket.js';
import { TableWrites } from './table-writes.js';

/** Sizes and counters of a {@link HydraDrizzleCache}, for tests and monitoring. */
export interface DrizzleCacheDiagnostics {
  /** Missed reads leading a cache load whose result has not come back yet. */
  readonly pendingReads: number;
  /** Tables with an unfinished write (statement or transaction). */
  readonly heldTables: number;
  /** Results not stored because a write to one of their tables was still in progress. */
  readonly refusedPuts: number;
}

const NO_QUERY = 'The Drizzle read was already served: no query of it will load this key';

/**
 * Drizzle's `Cache` backed by a HydraCache: results are tagged `tableTag(table)` for every table
 * the query read, and a write invalidates its tables after it commits (see {@link CommitScopes}),
 * never before. A missed read leads (or joins) a `getOrLoad` of its key, so concurrent misses share
 * one query and a result that any invalidation overtook (this adapter's, the bus, a change feed,
 * `invalidateTag`) is not stored. Needs `hydraDrizzle(db)` on the database that uses it.
 */
export class HydraDrizzleCache extends Cache {
  static override readonly [entityKind] = 'HydraDrizzleCache';
  readonly #writes = new TableWrites();
  readonly #scopes: CommitScopes;
  #bound = false;
  #refused = 0;
  #leading = 0;

  constructor(
    /** The cache results are stored in. */
    readonly cache: HydraCache,
    private readonly options: ResolvedDrizzleCacheOptions,
  ) {
    super();
    this.#scopes = new CommitScopes(this.#writes, (tags) => this.cache.invalidateTags(tags));
  }

  /** `all` with `global: true` (every select cached), else `explicit` (`.$withCache()` only). */
  override strategy(): 'explicit' | 'all' {
    return this.options.global ? 'all' : 'explicit';
  }

  /**
   * A cached result, the result of the same query another caller is running, or undefined: this
   * caller runs the query and leads the load. Inside a transaction, a cached result only for tables
   * it has not written.
   */
  override get(
    key: string,
    tables: string[],
    isTag: boolean,
    autoInvalidate?: boolean,
  ): Promise<any[] | undefined> {
    // Not an async function: one promise less on the hit path.
    if (!this.#bound) return Promise.reject(DrizzleCacheErrors.unbound());
    const k = this.#key(key, isTag);
    const scope = this.#scopes.current();
    if (scope?.kind === 'transaction') {
      if (tables.some((table) => scope.tags.has(tableTag(table))))
        return Promise.resolve(undefined);
      return this.cache.get(k);
    }
    const ttl = ttlOf(scope?.config, this.options.ttl);
    // Not run by a bound session (no statement to settle a load), or not to be stored: hits only.
    if (scope === undefined || (ttl !== undefined && ttl <= 0)) return this.cache.get(k);
    const tags = autoInvalidate === false ? [] : tables.map(tableTag);
    if (isTag) tags.push(key);
    return this.#getOrLead(k, tags, scope);
  }

  /**
   * Hands a query's result to the load its read leads, which stores it unless an invalidation
   * overtook it, or a write to its tables is still in progress. Never stores from a transaction.
   */
  override async put(
    key: string,
    response: unknown,
    _tables: string[],
    isTag: boolean,
  ): Promise<void> {
    const k = this.#key(key, isTag);
    const scope = this.#scopes.current();
    const ticket = scope?.reads.get(k);
    if (ticket === undefined) return;
    scope!.reads.delete(k);
    // A write held but not committed: Postgres answered with rows it is about to change, and the
    // cache hears of it only at the commit, possibly after this load stored.
    const refused = this.#writes.holdsAny(ticket.tags);
    if (refused) this.#refused++;
    ticket.store(plainResponse(response), refused);
    await ticket.loaded;
  }

  /**
   * A write to `tables` (and the custom `tags` of `.$withCache({ tag })`): inside a statement or
   * transaction of the bound database, invalidated when it commits; called by hand
   * (`db.$cache.invalidate(...)`, after raw SQL), invalidated now.
   */
  override async onMutate(params: MutationOption): Promise<void> {
    this.#checkBound();
    const tags = [
      ...listOf(params.tables).map((table) => tableTag(tableNameOf(table))),
      ...listOf(params.tags),
    ];
    if (tags.length === 0 || this.#scopes.record(tags)) return;
    await this.cache.invalidateTags(tags);
  }

  /** Sizes and counters, for tests and monitoring. */
  diagnostics(): DrizzleCacheDiagnostics {
    return {
      pendingReads: this.#leading,
      heldTables: this.#writes.held,
      refusedPuts: this.#refused,
    };
  }

  /** @internal Marks the cache bound by `hydraDrizzle(db)`; returns its commit scopes. */
  bind(): CommitScopes {
    this.#bound = true;
    return this.#scopes;
  }

  /**
   * Joins the load of `key` or leads it. getOrLoad calls the loader at once on a miss without a
   * second tier, but only after reading it with one: whichever comes first, the loader being
   * called (a miss this caller runs) or the load's result (a hit or a joined load), decides.
   * Written with as few promises as a plain `cache.get`: a hit is the hot path.
   */
  #getOrLead(key: string, tags: string[], scope: WriteScope): Promise<any[] | undefined> {
    const { config } = scope;
    const fallback = this.options.ttl;
    let ticket: ReadTicket | undefined;
    let answered = false;
    let led: (() => void) | undefined;
    const loaded = this.cache.getOrLoad<unknown>(
      key,
      {
        tags,
        hardTimeout: LEADER_TIMEOUT_MS,
        // Read when the result is stored: `pxat` / `exat` count from then.
        ttl: ttlOf(config, fallback) === undefined ? undefined : () => ttlOf(config, fallback)!,
        unless: () => ticket?.refused === true || (ttlOf(config, fallback) ?? 1) <= 0,
      },
      () => {
        // A refresh started after this caller was served (grace, refresh-ahead): no query of
        // this statement will hand back a result, so the refresh fails (fail-safe may serve).
        if (answered) return Promise.reject(new Error(NO_QUERY));
        ticket = this.#lead(tags);
        scope.reads.get(key)?.fail(new Error('Superseded by a read of the same key'));
        scope.reads.set(key, ticket);
        led?.();
        return ticket.promise;
      },
    );
    if (ticket !== undefined) {
      answered = true;
      ticket.loaded = loaded.then(ignore, ignore);
      return Promise.resolve(undefined); // led at once: no second tier
    }
    return new Promise((resolve) => {
      led = () => {
        answered = true;
        ticket!.loaded = loaded.then(ignore, ignore);
        resolve(undefined);
      };
      // A failed load (the leader's query failed, a hard timeout) is a miss: this caller runs its own query.
      loaded.then(
        (value) => {
          answered = true;
          resolve(value as any[]);
        },
        () => {
          answered = true;
          resolve(undefined);
        },
      );
    });
  }

  #lead(tags: readonly string[]): ReadTicket {
    this.#leading++;
    return new ReadTicket(tags, () => this.#leading--);
  }

  #checkBound(): void {
    if (!this.#bound) throw DrizzleCacheErrors.unbound();
  }

  #key(key: string, isTag: boolean): string {
    return isTag ? `${this.options.prefix}tag:${key}` : `${this.options.prefix}${key}`;
  }
}

function ignore(): void {}

function listOf<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A Drizzle table's name as its queries report it (`schema.name`), or the string given. */
function tableNameOf(table: unknown): string {
  if (typeof table === 'string') return table;
  // `public.users` for a table of the default schema: tableTag drops the `public.`.
  if (is(table, Table)) return getTableUniqueName(table);
  return String(table);
}
