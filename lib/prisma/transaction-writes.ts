/** At most this many interactive transactions keep their writes at once; beyond it the oldest are invalidated at once. */
export const MAX_OPEN_TRANSACTIONS = 10_000;

type EngineTransaction = (action: string, headers: unknown, info: unknown) => Promise<unknown>;

/** The one internal of the Prisma client this relies on: its engine's transaction control. */
interface PrismaEngine {
  transaction: EngineTransaction;
}

const TRACKERS = Symbol.for('hydracache:prisma-trackers');

type Invalidate = (tags: string[]) => Promise<unknown>;

/**
 * The tables written inside each open interactive transaction, invalidated once it commits (or
 * dropped when it rolls back). Hooks the client engine's `transaction('start' | 'commit' |
 * 'rollback')`, the only point where Prisma's `$transaction` reports its end; nested transactions
 * share their outer transaction's id and are counted, so only the outermost commit invalidates.
 */
export class TransactionWrites {
  readonly #open = new Map<string, { depth: number; tags: Set<string> }>();

  private constructor(private readonly invalidate: Invalidate) {}

  /**
   * The tracker of `cache`'s writes on `engine`, wrapping the engine the first time: one per
   * engine and cache, however often the client is extended; undefined when `engine` has no
   * transaction control.
   */
  static of(engine: unknown, cache: object, invalidate: Invalidate): TransactionWrites | undefined {
    const e = engine as
      (PrismaEngine & { [TRACKERS]?: Map<object, TransactionWrites> }) | undefined;
    if (typeof e?.transaction !== 'function') return undefined;
    let trackers = e[TRACKERS];
    if (trackers === undefined) {
      const all = (trackers = new Map());
      e[TRACKERS] = all;
      const transaction = e.transaction.bind(e);
      e.transaction = async (action, headers, info) => {
        let result: unknown;
        try {
          result = await transaction(action, headers, info);
        } catch (error) {
          // A failed COMMIT may still have committed: invalidate rather than guess.
          if (action === 'commit')
            await Promise.all([...all.values()].map((t) => t.#ended(idOf(info), true)));
          throw error;
        }
        const id = idOf(action === 'start' ? result : info);
        for (const tracker of all.values()) {
          if (action === 'start') tracker.#started(id);
        }
        if (action === 'commit' || action === 'rollback') {
          await Promise.all([...all.values()].map((t) => t.#ended(id, action === 'commit')));
        }
        return result;
      };
    }
    let tracker = trackers.get(cache);
    if (tracker === undefined) {
      tracker = new TransactionWrites(invalidate);
      trackers.set(cache, tracker);
    }
    return tracker;
  }

  /** Records that transaction `id` wrote `tags`; false when it is not known as open (invalidate now). */
  record(id: string, tags: readonly string[]): boolean {
    const open = this.#open.get(id);
    if (open === undefined) return false;
    for (const tag of tags) open.tags.add(tag);
    return true;
  }

  /** Open transactions (bounded by {@link MAX_OPEN_TRANSACTIONS}). */
  get size(): number {
    return this.#open.size;
  }

  #started(id: string | undefined): void {
    if (id === undefined) return;
    const open = this.#open.get(id);
    if (open !== undefined) {
      open.depth++;
      return;
    }
    this.#open.set(id, { depth: 1, tags: new Set() });
    if (this.#open.size > MAX_OPEN_TRANSACTIONS) {
      // Bounded: the oldest transaction's writes are invalidated now rather than tracked.
      const [oldest, { tags }] = this.#open.entries().next().value!;
      this.#open.delete(oldest);
      void this.invalidate([...tags]).catch(() => undefined);
    }
  }

  async #ended(id: string | undefined, committed: boolean): Promise<void> {
    const open = id === undefined ? undefined : this.#open.get(id);
    if (open === undefined) return;
    // A nested transaction ends at a savepoint: its writes stay with the outer transaction
    // (invalidated if that commits, even when the savepoint rolled back: harmless).
    if (--open.depth > 0) return;
    this.#open.delete(id!);
    if (committed && open.tags.size > 0) await this.invalidate([...open.tags]);
  }
}

function idOf(info: unknown): string | undefined {
  const id = (info as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
