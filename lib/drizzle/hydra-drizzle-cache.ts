import { entityKind, getTableUniqueName, is, Table } from 'drizzle-orm';
import { Cache, type MutationOption } from 'drizzle-orm/cache/core';
import type { CacheConfig } from 'drizzle-orm/cache/core/types';
import type { HydraCache } from '../core/hydra-cache.js';
import { tableTag } from '../core/table-tags.js';
import { CommitScopes } from './commit-scopes.js';
import type { ResolvedDrizzleCacheOptions } from './drizzle-cache.options.js';
import { DrizzleCacheErrors } from './drizzle.errors.js';
import { ttlOf } from './drizzle-ttl.js';
import { PendingReads } from './pending-reads.js';
import { plainResponse } from './plain-response.js';
import { TableWrites } from './table-writes.js';

/** Sizes and counters of a {@link HydraDrizzleCache}, for tests and monitoring. */
export interface DrizzleCacheDiagnostics {
  /** Missed reads whose result may still come back to be stored. */
  readonly pendingReads: number;
  /** Tables with an unfinished write (statement or transaction). */
  readonly heldTables: number;
  /** Results not stored because a write to one of their tables overtook the read. */
  readonly refusedPuts: number;
}

/**
 * Drizzle's `Cache` backed by a HydraCache: results are tagged `tableTag(table)` for every table
 * the query read, and a write invalidates its tables after it commits (see {@link CommitScopes}),
 * never before. A read that a committed write overtook does not store its result. Needs
 * `hydraDrizzle(db)` on the database that uses it.
 */
export class HydraDrizzleCache extends Cache {
  static override readonly [entityKind] = 'HydraDrizzleCache';
  readonly #writes = new TableWrites();
  readonly #reads = new PendingReads();
  readonly #scopes: CommitScopes;
  #bound = false;
  #refused = 0;

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

  /** A cached result, or undefined. Inside a transaction, only for tables it has not written. */
  override async get(key: string, tables: string[], isTag: boolean): Promise<any[] | undefined> {
    this.#checkBound();
    const k = this.#key(key, isTag);
    const scope = this.#scopes.current();
    if (scope?.kind === 'transaction') {
      if (tables.some((table) => scope.tags.has(tableTag(table)))) return undefined;
      return this.cache.get(k);
    }
    const tick = this.#writes.started();
    const hit = await this.cache.get<any[]>(k);
    if (hit === undefined) this.#reads.started(k, tick);
    return hit;
  }

  /** Stores a query's result, unless it ran in a transaction or a write to its tables overtook it. */
  override async put(
    key: string,
    response: unknown,
    tables: string[],
    isTag: boolean,
    config?: CacheConfig,
  ): Promise<void> {
    const k = this.#key(key, isTag);
    const tick = this.#reads.finished(k);
    // Never from a transaction: it may hold its own uncommitted writes, or an older snapshot.
    if (tick === undefined || this.#scopes.current()?.kind === 'transaction') return;
    const tags = tables.map(tableTag);
    if (isTag) tags.push(key);
    if (!this.#writes.mayStore(tags, tick)) {
      this.#refused++;
      return;
    }
    const ttl = ttlOf(config, this.options.ttl);
    if (ttl !== undefined && ttl <= 0) return;
    await this.cache.put(k, plainResponse(response), { ttl, tags });
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
    this.#writes.invalidated(tags);
    await this.cache.invalidateTags(tags);
  }

  /** Sizes and counters, for tests and monitoring. */
  diagnostics(): DrizzleCacheDiagnostics {
    return {
      pendingReads: this.#reads.size,
      heldTables: this.#writes.held,
      refusedPuts: this.#refused,
    };
  }

  /** @internal Marks the cache bound by `hydraDrizzle(db)`; returns its commit scopes. */
  bind(): CommitScopes {
    this.#bound = true;
    return this.#scopes;
  }

  #checkBound(): void {
    if (!this.#bound) throw DrizzleCacheErrors.unbound();
  }

  #key(key: string, isTag: boolean): string {
    return isTag ? `${this.options.prefix}tag:${key}` : `${this.options.prefix}${key}`;
  }
}

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
