import type { QueryRunner } from 'typeorm';
import { tableTag } from '../core/table-tags.js';
import { ANY_TABLE_TAG } from './statement-tables.js';

/** Tags to invalidate (each written table's, plus {@link ANY_TABLE_TAG}), or undefined: flush. */
export type WrittenTags = readonly string[] | undefined;

/** More distinct tables than this in one transaction count as "any table" (bounds the set). */
const MAX_PENDING_TAGS = 10_000;

interface PendingWrites {
  readonly tags: Set<string>;
  /** A statement whose tables are unknown ran: the commit flushes the cache. */
  everything: boolean;
}

/**
 * Holds the tables each open transaction wrote until it ends: a commit invalidates them (after the
 * database made them visible, never before), a rollback forgets them. A write outside a
 * transaction is committed as it runs, so it invalidates at once.
 */
export class WriteTracker {
  readonly #pending = new WeakMap<QueryRunner, PendingWrites>();

  constructor(private readonly invalidate: (tags: WrittenTags) => Promise<void>) {}

  /** A statement on `runner` succeeded and wrote `tables` (undefined: maybe any table). */
  wrote(
    runner: QueryRunner | undefined,
    tables: readonly string[] | undefined,
  ): Promise<void> | undefined {
    if (tables !== undefined && tables.length === 0) return undefined;
    const tags = tables === undefined ? undefined : [...tables.map(tableTag), ANY_TABLE_TAG];
    if (runner === undefined || !runner.isTransactionActive) return this.invalidate(tags);
    let pending = this.#pending.get(runner);
    if (pending === undefined) {
      pending = { tags: new Set(), everything: false };
      this.#pending.set(runner, pending);
    }
    if (tags === undefined || pending.tags.size + tags.length > MAX_PENDING_TAGS) {
      pending.everything = true;
    } else for (const tag of tags) pending.tags.add(tag);
    return undefined;
  }

  /** A transaction or savepoint on `runner` committed; only the outermost commit publishes. */
  committed(runner: QueryRunner): Promise<void> | undefined {
    return runner.isTransactionActive ? undefined : this.ended(runner);
  }

  /** A transaction or savepoint rolled back; the outermost rollback forgets its writes (a savepoint's stay, to be safe). */
  rolledBack(runner: QueryRunner): void {
    if (!runner.isTransactionActive) this.#pending.delete(runner);
  }

  /** The transaction ended with its outcome unknown (COMMIT failed): its writes count. */
  ended(runner: QueryRunner): Promise<void> | undefined {
    const pending = this.#pending.get(runner);
    if (pending === undefined) return undefined;
    this.#pending.delete(runner);
    return this.invalidate(pending.everything ? undefined : [...pending.tags]);
  }

  /** True when the open transaction on `runner` wrote a table `readTags` name (so the cache would hide its own writes). */
  touches(runner: QueryRunner, readTags: readonly string[]): boolean {
    const pending = this.#pending.get(runner);
    if (pending === undefined) return false;
    if (pending.everything) return true;
    return readTags.some((tag) => pending.tags.has(tag));
  }
}
