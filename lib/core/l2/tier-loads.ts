import type { ResolvedOptions } from '../cache-options.js';
import type { StoredValues } from '../stored-values.js';
import type { TierGuard } from './tier-guard.js';
import type { TierHit, TierLookup, TierTicket } from './second-tier.js';

/**
 * What the load path asks of the second tier: a lookup before the loader runs (inside the
 * single-flight, so concurrent misses of one instance share one), and the fill after it stores.
 * Values cross as the codec's own bytes; a load with `l2: false` or a value over the tier's size
 * bound never reaches it.
 */
export class TierLoads {
  constructor(
    private readonly guard: TierGuard,
    private readonly values: StoredValues,
  ) {}

  /** The tier's answer for a load of `key`, or undefined when this load goes without the tier. */
  lookup(
    key: string,
    opts: Pick<ResolvedOptions, 'l2' | 'tags'>,
  ): Promise<TierLookup | undefined> | undefined {
    if (opts.l2 === false) {
      this.guard.skipped();
      return undefined;
    }
    return this.guard.lookup(key, opts.tags);
  }

  /**
   * A hit's value in the form this cache stores (`data`) and decoded (`first`, checked to decode
   * here, for the first caller); undefined (a miss) when it does not decode, e.g. an entry another
   * codec wrote.
   */
  dataOf(hit: TierHit): { data: unknown; first: unknown } | undefined {
    const data = this.values.fromBytes(hit.bytes);
    try {
      return { data, first: this.values.decode(data) };
    } catch {
      return undefined;
    }
  }

  /** Fills the tier with a stored load's value, unless too large; never rejects. */
  async fill(
    key: string,
    data: unknown,
    tags: readonly string[],
    resultTags: readonly string[],
    ttl: number,
    ticket: TierTicket,
  ): Promise<void> {
    const bytes = this.values.bytesOf(data);
    if (bytes === undefined || bytes.byteLength > this.guard.maxEntryBytes) {
      this.guard.skipped();
      return this.release(key, ticket);
    }
    await this.guard.fill({ key, bytes, tags, resultTags, ttl, ticket });
  }

  /** Gives back the ticket of a load that stores nothing in the tier. */
  release(key: string, ticket: TierTicket): Promise<void> {
    return this.guard.release(key, ticket);
  }
}
