import type { DataSource, QueryRunner } from 'typeorm';
import type { QueryResultCache, QueryResultCacheOptions } from './typeorm-cache.types.js';
import { escapeSegment } from '../core/cache-key.js';
import type { HydraCache } from '../core/hydra-cache.js';
import type { ResolvedQueryCacheOptions } from './query-cache.options.js';
import { dialectOf, loadParser, type SqlDialect } from './sql-dialect.js';
import { firstKeyword } from './statement-keyword.js';
import { ANY_TABLE_TAG, StatementTables } from './statement-tables.js';
import { LEADER_TIMEOUT_MS, QueryTicket } from './query-ticket.js';
import { WriteTracker, type WrittenTags } from './write-tracker.js';
import { listenToWrites, type QueryOutcome, type WriteListener } from './write-subscriber.js';

/** TypeORM's separator between a cached query's SQL and its parameters in the query id. */
const PARAMETERS = ' -- PARAMETERS: ';

/** What the adapter passes to getOrLoad for one SQL text (the tags are also the transaction check's). */
interface LoadOptions {
  readonly ttl: number;
  readonly tags: readonly string[];
  readonly hardTimeout: number;
}

/** Most leaders tracked at once; past it the oldest is given up (its joiners run their own query). */
const MAX_LEADERS = 10_000;

/**
 * TypeORM's query result cache, kept in a HydraCache: hits are in-process, concurrent misses of
 * one query share one database round trip, each result is tagged with the tables its SQL reads,
 * and writes through the DataSource invalidate those tags once their transaction commits.
 */
export class HydraQueryResultCache implements QueryResultCache, WriteListener {
  readonly #dialect: SqlDialect;
  readonly #prefix: string;
  readonly #allTag: string;
  readonly #writes: WriteTracker;
  readonly #tickets = new Map<QueryRunner | undefined, QueryTicket[]>();
  #leaders = 0;
  readonly #optionsBySql = new Map<string, LoadOptions>();
  #tables: StatementTables | undefined;

  constructor(
    dataSource: DataSource,
    private readonly cache: HydraCache,
    private readonly options: ResolvedQueryCacheOptions,
  ) {
    this.#dialect = dialectOf(dataSource);
    this.#prefix = escapeSegment(options.keyPrefix);
    this.#allTag = `${this.#prefix}:query`;
    this.#writes = new WriteTracker((tags) => this.#invalidate(tags));
    listenToWrites(dataSource, this);
  }

  /** Loads the SQL parser of the DataSource's dialect (TypeORM calls it from `initialize()`). */
  async connect(): Promise<void> {
    const parser = await loadParser(this.#dialect);
    this.#tables = new StatementTables(parser, this.#dialect, this.options.maxStatements);
  }

  /** Releases the queries waiting on a leader; the HydraCache itself belongs to the app. */
  async disconnect(): Promise<void> {
    for (const tickets of [...this.#tickets.values()]) {
      for (const ticket of [...tickets]) ticket.fail(new Error('The DataSource was destroyed'));
    }
  }

  /** Nothing to create: the results live in the HydraCache. */
  async synchronize(): Promise<void> {}

  /**
   * A hit, or the miss TypeORM must run: the first caller of a query leads (gets an expired
   * ticket back), concurrent callers wait for its result. Inside a transaction that wrote a
   * table the query reads, the cache is bypassed so the transaction sees its own writes.
   */
  getFromCache(
    options: QueryResultCacheOptions,
    runner?: QueryRunner,
  ): Promise<QueryResultCacheOptions | undefined> {
    const key = this.#key(options);
    if (key === undefined) return Promise.resolve(undefined);
    const sql = sqlOf(options.query ?? '');
    const load = this.#loadOptions(sql, options.duration);
    if (runner?.isTransactionActive) return this.#getInTransaction(key, load.tags, options, runner);
    let ticket: QueryTicket | undefined;
    const result = this.cache.getOrLoad<string>(key, load, () => {
      ticket = this.#lead(runner, sql, options);
      return ticket.promise;
    });
    if (ticket !== undefined) {
      result.catch(() => undefined); // the leader runs its own query; it needs no outcome
      return Promise.resolve(ticket);
    }
    // Not an async function: a hit settles after one reaction instead of two suspended frames.
    return result.then(
      (json) => saved(options, json),
      () => undefined, // the leader's query failed: this caller runs its own, uncached
    );
  }

  /** Inside a transaction: a hit unless it wrote a table the query reads; nothing read here is stored (it may see its own uncommitted writes). */
  async #getInTransaction(
    key: string,
    tags: readonly string[],
    options: QueryResultCacheOptions,
    runner: QueryRunner,
  ): Promise<QueryResultCacheOptions | undefined> {
    if (this.#writes.touches(runner, tags)) return undefined;
    const json = await this.cache.get<string>(key);
    return json === undefined ? undefined : saved(options, json);
  }

  /** Hands the leader's result to its load, which stores it unless a write made it stale. */
  async storeInCache(
    options: QueryResultCacheOptions,
    savedCache: QueryResultCacheOptions | undefined,
  ): Promise<void> {
    if (savedCache instanceof QueryTicket) savedCache.store(options.result);
  }

  /** Only a ticket is expired: HydraCache drops entries at their TTL itself. */
  isExpired(savedCache: QueryResultCacheOptions): boolean {
    return savedCache instanceof QueryTicket;
  }

  /** Removes every result this DataSource cached (other entries of the HydraCache stay). */
  async clear(): Promise<void> {
    await this.cache.invalidateTag(this.#allTag);
  }

  /** Removes the results cached under the given TypeORM cache ids. */
  async remove(identifiers: string[]): Promise<void> {
    await Promise.all(identifiers.map((id) => this.cache.invalidateKey(this.#idKey(id))));
  }

  /** TypeORM ran a statement: fails a leader whose query failed, and records what it wrote. */
  afterQuery(event: QueryOutcome): Promise<void> | undefined {
    this.#failLeader(event);
    const tables = this.#tables;
    if (tables === undefined) return undefined; // not connected yet: nothing can be cached
    if (!event.success) {
      // A COMMIT that failed (a lost connection, say) may still have committed: its writes count.
      const keyword = firstKeyword(event.query);
      return keyword === 'COMMIT' || keyword === 'END'
        ? this.#writes.ended(event.queryRunner)
        : undefined;
    }
    return this.#writes.wrote(event.queryRunner, tables.written(event.query));
  }

  /** A transaction committed: its writes invalidate now. */
  committed(runner: QueryRunner): Promise<void> | undefined {
    return this.#writes.committed(runner);
  }

  /** A transaction rolled back: its writes are forgotten. */
  rolledBack(runner: QueryRunner): void {
    this.#writes.rolledBack(runner);
  }

  #key(options: QueryResultCacheOptions): string | undefined {
    if (options.identifier) return this.#idKey(options.identifier);
    return options.query ? `${this.#prefix}:q:${options.query}` : undefined;
  }

  #idKey(identifier: string): string {
    return `${this.#prefix}:id:${identifier}`;
  }

  /** The load options of `sql` for `ttl`: its table tags and this DataSource's tag, remembered per SQL text. */
  #loadOptions(sql: string, ttl: number): LoadOptions {
    const known = this.#optionsBySql.get(sql);
    if (known !== undefined && known.ttl === ttl) return known;
    const tables =
      this.#tables === undefined || sql === '' ? [ANY_TABLE_TAG] : this.#tables.readTags(sql);
    const load = { ttl, tags: [...tables, this.#allTag], hardTimeout: LEADER_TIMEOUT_MS };
    if (this.#optionsBySql.size >= this.options.maxStatements) {
      this.#optionsBySql.delete(this.#optionsBySql.keys().next().value as string);
    }
    this.#optionsBySql.set(sql, load);
    return load;
  }

  #lead(
    runner: QueryRunner | undefined,
    sql: string,
    options: QueryResultCacheOptions,
  ): QueryTicket {
    const ticket = new QueryTicket(
      runner,
      sql,
      options.identifier,
      options.query,
      options.duration,
      (settled) => this.#untrack(settled),
    );
    if (this.#leaders >= MAX_LEADERS) {
      this.#tickets.values().next().value?.[0]?.fail(new Error('Too many queries led at once'));
    }
    const tickets = this.#tickets.get(runner);
    if (tickets === undefined) this.#tickets.set(runner, [ticket]);
    else tickets.push(ticket);
    this.#leaders++;
    return ticket;
  }

  #untrack(ticket: QueryTicket): void {
    const tickets = this.#tickets.get(ticket.runner);
    if (tickets === undefined) return;
    const at = tickets.indexOf(ticket);
    if (at === -1) return;
    tickets.splice(at, 1);
    this.#leaders--;
    if (tickets.length === 0) this.#tickets.delete(ticket.runner);
  }

  /** A failed query fails the oldest ticket running its SQL on its runner: its joiners stop waiting. */
  #failLeader(event: QueryOutcome): void {
    if (event.success) return;
    const tickets = this.#tickets.get(event.queryRunner);
    tickets?.find((ticket) => ticket.sql === event.query)?.fail(event.error);
  }

  async #invalidate(tags: WrittenTags): Promise<void> {
    try {
      if (tags === undefined) await this.cache.flush();
      else await this.cache.invalidateTags(tags);
    } catch {
      await this.cache.flush().catch(() => undefined); // an invalidation is never lost silently
    }
  }
}

/** The SQL of TypeORM's query id (`<sql> -- PARAMETERS: [...]`). */
function sqlOf(query: string): string {
  const at = query.lastIndexOf(PARAMETERS);
  return at === -1 ? query : query.slice(0, at);
}

/** A hit in the shape TypeORM reads: it JSON-parses `result`. */
function saved(options: QueryResultCacheOptions, json: string): QueryResultCacheOptions {
  return {
    identifier: options.identifier,
    query: options.query,
    duration: options.duration,
    time: Date.now(),
    result: json,
  };
}
