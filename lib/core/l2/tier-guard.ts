import { l2Channel, type L2Event, type L2EventName } from '../cache-events.js';
import type { CacheChange } from '../local-changes.js';
import { L2Counters, type L2Stats } from './l2-stats.js';
import { PendingInvalidations } from './pending-invalidations.js';
import { sleep } from '../sleep.js';
import type { SecondTier, TierFill, TierLookup, TierTicket } from './second-tier.js';

/** First wait (ms) before replaying invalidations the tier missed; doubles up to {@link MAX_REPLAY_DELAY}. */
const FIRST_REPLAY_DELAY = 100;
/** Longest wait (ms) between two replays. */
const MAX_REPLAY_DELAY = 5_000;

/**
 * A second tier as the cache uses it: a call that fails is counted and answered as if the tier
 * were absent (never failing the caller). An invalidation the tier missed is never lost: it is
 * recorded, the tier is no longer trusted (this instance stops reading and filling it, since it
 * could serve what the invalidation removed), and the record is replayed with backoff; the tier is
 * trusted again once every recorded invalidation reached it.
 */
export class TierGuard {
  readonly #counters = new L2Counters();
  readonly #pending = new PendingInvalidations();
  #timer: NodeJS.Timeout | undefined;
  #delay = FIRST_REPLAY_DELAY;
  #replaying: Promise<void> | undefined;
  #closed = false;
  /** Streams started at a position not yet known to be applied to the tier: it is not read meanwhile. */
  #gates = 0;
  /** Streams whose start was vouched for (or the tier flushed): this instance's reports on them count. */
  readonly #vouched = new Set<string>();
  /** Invalidations on their way to the tier; a report of applied changes waits for them. */
  readonly #sending = new Set<Promise<void>>();

  constructor(
    /** The cache's name, on events. */
    private readonly cacheName: string,
    private readonly tier: SecondTier,
    /** Largest encoded value (bytes) the tier takes; larger ones stay in this instance only. */
    readonly maxEntryBytes: number,
  ) {}

  /** False while invalidations wait for replay. */
  get trusted(): boolean {
    return this.#pending.size === 0;
  }

  /** False while invalidations wait for replay or a started stream waits to be vouched for. */
  get #readable(): boolean {
    return this.#gates === 0 && this.trusted;
  }

  /** The counters, for `cache.l2Stats()`. */
  stats(): L2Stats {
    return this.#counters.snapshot(this.trusted, this.#pending.size, this.#gates > 0);
  }

  /** Counts a load that did not use the tier. */
  skipped(): void {
    this.#counters.skipped++;
  }

  /** The tier's answer for `key`, or undefined when it is untrusted or fails (load without it). */
  async lookup(key: string, tags: readonly string[]): Promise<TierLookup | undefined> {
    if (!this.#readable) {
      this.#counters.skipped++;
      return undefined;
    }
    const found = await this.#call(() => this.tier.lookup(key, tags));
    if (found === undefined) return undefined;
    if (found.hit) this.#counters.hits++;
    else this.#counters.misses++;
    this.#event(found.hit ? 'hit' : 'miss');
    return found;
  }

  /** Stores a load's value in the tier when trusted; true when stored. */
  async fill(fill: TierFill): Promise<boolean> {
    if (!this.#readable) {
      void this.release(fill.key, fill.ticket);
      return false;
    }
    const stored = await this.#call(() => this.tier.fill(fill));
    if (stored === true) this.#counters.fills++;
    else if (stored === false) this.#counters.refusedFills++;
    if (stored !== undefined) this.#event(stored ? 'fill' : 'refused-fill');
    return stored === true;
  }

  /** Gives back what a lookup reserved; never rejects. */
  async release(key: string, ticket: TierTicket): Promise<void> {
    await this.tier.release(key, ticket).catch(() => undefined);
  }

  /** Writes a put's value; when that fails, the key's invalidation is recorded instead. */
  async write(key: string, bytes: Uint8Array, tags: readonly string[], ttl: number): Promise<void> {
    if (this.trusted) {
      const done = await this.#call(() => this.tier.write(key, bytes, tags, ttl).then(() => true));
      if (done === true) {
        this.#counters.writes++;
        this.#event('write');
        return;
      }
    }
    this.#record({ type: 'keys', keys: [key] });
  }

  /** Applies `change` to the tier's versions; when that fails, records it for replay. */
  invalidate(change: CacheChange): Promise<void> {
    if (!this.trusted) {
      // Replayed in order after what is already waiting: a later bump never overtakes an earlier one.
      this.#record(change);
      return Promise.resolve();
    }
    const sending = this.#call(() => this.#apply(change).then(() => true)).then((done) => {
      this.#sending.delete(sending);
      if (done !== true) this.#record(change);
    });
    this.#sending.add(sending);
    return sending;
  }

  /**
   * A source starts hearing `stream` after `position`: the tier is not read until another instance
   * recorded applying the stream past it (so the tier has every change this instance will never
   * hear of), or, after `waitMs` ms without such a record, the tier is flushed. A tier that keeps
   * no records is flushed at once.
   */
  startAt(stream: string, position: number, waitMs: number): void {
    const appliedPast = this.tier.appliedPast?.bind(this.tier);
    if (appliedPast === undefined || this.tier.recordApplied === undefined) {
      void this.invalidate({ type: 'flush' });
      this.#vouched.add(stream);
      return;
    }
    this.#vouched.delete(stream);
    this.#gates++;
    void (async () => {
      const deadline = performance.now() + waitMs;
      let delay = 10;
      let vouched = false;
      while (!this.#closed && !vouched && performance.now() < deadline) {
        vouched = (await this.#call(() => appliedPast(stream, position))) === true;
        if (!vouched) await sleep(Math.min(delay, Math.max(0, deadline - performance.now())));
        delay = Math.min(delay * 2, 200);
      }
      if (!vouched && !this.#closed) {
        this.#event('start-flush');
        await this.invalidate({ type: 'flush' });
      }
      this.#vouched.add(stream);
      this.#gates--;
    })();
  }

  /**
   * This instance applied `stream` through `position`: recorded in the tier once every invalidation
   * sent so far reached it, and only when this instance's start on the stream was vouched for and
   * nothing waits for replay (the tier may lack a change otherwise).
   */
  appliedThrough(stream: string, position: number): void {
    const record = this.tier.recordApplied?.bind(this.tier);
    if (record === undefined || !this.#vouched.has(stream) || !this.trusted) return;
    void Promise.all(this.#sending).then(() => {
      if (this.#closed || !this.trusted || !this.#vouched.has(stream)) return;
      return this.#call(() => record(stream, position));
    });
  }

  /**
   * Stops replaying and closes the tier (one last replay is tried first). Invalidations that still
   * could not reach it are lost to the tier with this instance: said loudly (an `abandoned` event
   * and a warning), never silently, since other instances may read what they cover from the tier
   * until those entries expire.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    if (!this.trusted) await this.#replay();
    const lost = this.#pending.size;
    if (lost > 0) {
      this.#event('abandoned');
      console.warn(
        `[hydracache l2] cache "${this.cacheName}" closed with ${lost} invalidation(s) the second tier never received: other instances may read what they cover from it until it expires (flush the tier to be sure).`,
      );
    }
    await this.tier.close();
  }

  #apply(change: CacheChange): Promise<void> {
    switch (change.type) {
      case 'keys':
      case 'expireKeys':
        return this.tier.invalidateKeys(change.keys);
      case 'tags':
      case 'expireTags':
        return this.tier.invalidateTags(change.tags);
      case 'flush':
        return this.tier.flush();
    }
  }

  #record(change: CacheChange): void {
    if (this.trusted) this.#event('untrusted');
    if (change.type === 'flush') this.#pending.addFlush();
    else if (change.type === 'keys' || change.type === 'expireKeys')
      this.#pending.addKeys(change.keys);
    else this.#pending.addTags(change.tags);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed || this.#replaying !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#replay();
    }, this.#delay);
    this.#timer.unref();
  }

  /** One replay; on failure the next one is scheduled with a longer wait. */
  #replay(): Promise<void> {
    this.#replaying ??= (async () => {
      try {
        await this.#pending.replay(this.tier);
        this.#delay = FIRST_REPLAY_DELAY;
        if (this.trusted) this.#event('trusted');
      } catch {
        this.#counters.errors++;
        this.#delay = Math.min(this.#delay * 2, MAX_REPLAY_DELAY);
      } finally {
        this.#replaying = undefined;
      }
      if (!this.trusted) this.#schedule();
    })();
    return this.#replaying;
  }

  /** Runs a tier call, timing it; undefined (counted) when it fails. */
  async #call<T>(call: () => Promise<T>): Promise<T | undefined> {
    const started = performance.now();
    this.#counters.calls++;
    try {
      return await call();
    } catch (error) {
      this.#counters.errors++;
      const timeout = isTimeout(error);
      if (timeout) this.#counters.timeouts++;
      this.#event(timeout ? 'timeout' : 'error', performance.now() - started);
      return undefined;
    } finally {
      this.#counters.latencyMs += performance.now() - started;
    }
  }

  /** Publishes an {@link L2Event} when someone listens. */
  #event(event: L2EventName, durationMs?: number): void {
    if (!l2Channel.hasSubscribers) return;
    const message: L2Event = { cache: this.cacheName, event, durationMs };
    l2Channel.publish(message);
  }
}

/** True for an error that says a call timed out (ioredis: "Command timed out"). */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed? ?out/i.test(error.message);
}
