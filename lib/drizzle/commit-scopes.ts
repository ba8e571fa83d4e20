import { AsyncLocalStorage } from 'node:async_hooks';
import type { CacheConfig } from 'drizzle-orm/cache/core/types';
import type { ReadTicket } from './read-ticket.js';
import type { TableWrites } from './table-writes.js';

const NO_RESULT = 'The Drizzle query ended without a result to cache (it failed)';

/** One unit of work on the database: a transaction, or a statement run outside one (auto-commit). */
export interface WriteScope {
  readonly kind: 'transaction' | 'statement';
  /** Tags its writes invalidate once it ends (table tags and the tags passed to `onMutate`). */
  readonly tags: Set<string>;
  /** The cache loads this statement's read leads, by cache key; failed when it ends without a result. */
  readonly reads: Map<string, ReadTicket>;
  /** The statement's `.$withCache({ config })`: its TTL is known when the read's load starts. */
  readonly config?: CacheConfig;
}

/**
 * Defers the invalidations of a write to the moment it is committed. Each statement and
 * transaction of a bound database runs in a scope; `onMutate` inside one only records its tags
 * (holding them, so reads finishing meanwhile store nothing), and the scope's end invalidates them:
 * after the commit, or after a failure whose outcome is unknown. A rolled-back transaction
 * invalidates nothing.
 */
export class CommitScopes {
  readonly #current = new AsyncLocalStorage<WriteScope>();

  constructor(
    private readonly writes: TableWrites,
    /** Removes what `tags` name from the cache (and tells the bus). */
    private readonly invalidate: (tags: string[]) => Promise<unknown>,
  ) {}

  /** The scope the caller runs in, if any. */
  current(): WriteScope | undefined {
    return this.#current.getStore();
  }

  /** Records that the current scope wrote `tags`; false when there is no scope (the caller invalidates now). */
  record(tags: readonly string[]): boolean {
    const scope = this.#current.getStore();
    if (scope === undefined) return false;
    for (const tag of tags) {
      if (scope.tags.has(tag)) continue;
      scope.tags.add(tag);
      this.writes.hold(tag);
    }
    return true;
  }

  /**
   * Runs one statement; outside a transaction, its writes are invalidated once it settles, failed
   * or not, and a read load it led without handing back a result fails (its joiners stop waiting).
   */
  async statement<T>(run: () => Promise<T>, config?: CacheConfig): Promise<T> {
    if (this.#current.getStore() !== undefined) return run();
    const scope: WriteScope = { kind: 'statement', tags: new Set(), reads: new Map(), config };
    try {
      return await this.#current.run(scope, run);
    } finally {
      for (const ticket of scope.reads.values()) ticket.fail(new Error(NO_RESULT));
      await this.#end(scope, true);
    }
  }

  /**
   * Runs a transaction: `run(bodyDone)` runs it (Drizzle's `session.transaction`) and calls
   * `bodyDone()` once the user's callback returned, before COMMIT. Its writes are invalidated
   * after it commits, or when COMMIT failed (the outcome is unknown); not when the callback threw
   * (rolled back).
   */
  async transaction<T>(run: (bodyDone: () => void) => Promise<T>): Promise<T> {
    if (this.#current.getStore()?.kind === 'transaction') return run(() => {});
    const scope: WriteScope = { kind: 'transaction', tags: new Set(), reads: new Map() };
    let committing = false;
    const bodyDone = (): void => {
      committing = true;
    };
    try {
      const result = await this.#current.run(scope, () => run(bodyDone));
      await this.#end(scope, true);
      return result;
    } catch (error) {
      await this.#end(scope, committing);
      throw error;
    }
  }

  async #end(scope: WriteScope, invalidate: boolean): Promise<void> {
    if (scope.tags.size === 0) return;
    const tags = [...scope.tags];
    // Invalidated (running loads superseded at once) before the hold is released: no read that
    // overlapped the write can store in between.
    const removed = invalidate ? this.invalidate(tags) : undefined;
    this.writes.release(tags);
    await removed;
  }
}
