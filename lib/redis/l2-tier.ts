import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import type { SecondTier, TierFill, TierLookup } from '../core/l2/second-tier.js';
import { sleep } from '../core/sleep.js';
import { CallDeadlines } from './call-deadlines.js';
import { RedisClock } from './l2-clock.js';
import { hitIn, missOf, settleRead, type RedisTicket } from './l2-reads.js';
import { openL2Connection, type L2Connection } from './l2-connection.js';
import type { ResolvedRedisL2Options } from './l2-options.js';
import { shutDownConnection } from './shut-down-connection.js';

/** Longest pause (ms) between two polls of a waiter for a leased key. */
const MAX_POLL_DELAY = 100;

/**
 * The Redis second tier: entries and versions in Redis (see l2-scripts.ts for the keys and the
 * version design). A lookup is one MGET when that settles it (l2-reads.ts), a Lua script
 * otherwise; every change is one Lua script. Each call fails within `timeout` ms when
 * Redis is down or slow; the cache counts it and goes on without the tier.
 */
export class RedisSecondTier implements SecondTier {
  readonly #client: Redis | Cluster;
  readonly #redis: L2Connection;
  readonly #p: string;
  readonly #vttl: number;
  /** Redis's clock, for how long an entry read by MGET has left. */
  readonly #clock: RedisClock;
  /** Fails a Redis call that takes longer than `timeout` ms. */
  readonly #deadlines: CallDeadlines;
  /** This tier instance's name in the records of applied positions. */
  readonly #member = fresh();
  #closed = false;

  constructor(private readonly options: ResolvedRedisL2Options) {
    this.#client = openL2Connection(options);
    this.#redis = this.#client as unknown as L2Connection;
    this.#p = `{${options.prefix}}`;
    this.#vttl = options.versionTtl;
    this.#deadlines = new CallDeadlines(options.timeout);
    this.#clock = new RedisClock(() => this.#deadlines.watch(this.#redis.hcL2Now(`${this.#p}:g`)));
    this.#client.on('ready', () => this.#clock.sync());
  }

  /** Largest value in bytes this tier stores. */
  get maxEntryBytes(): number {
    return this.options.maxEntryBytes;
  }

  /** The underlying client (tests and health checks). */
  get client(): Redis | Cluster {
    return this.#client;
  }

  /**
   * One MGET reads the entry with the current versions of the tier, the tag clock, the key and
   * the declared tags; the entry's header says which versions it was stored under. When that
   * settles it (a current entry, or no entry and every version present), that is the answer: a
   * hit costs one plain read. Otherwise (tags the caller did not declare, a missing version, a
   * lease to take) the lookup script decides in Redis.
   */
  async lookup(key: string, tags: readonly string[]): Promise<TierLookup> {
    const names = unique(tags);
    const entryKey = this.#entry(key);
    const keyVersion = this.#keyVersion(key);
    const tagVersions = names.map((tag) => this.#tagVersion(tag));
    const read = await this.#deadlines.watch(
      this.#redis.mgetBuffer(entryKey, `${this.#p}:g`, `${this.#p}:c`, keyVersion, ...tagVersions),
    );
    const settled = settleRead(read, names, this.#clock, this.options.lease !== undefined);
    if (settled !== undefined) return settled;
    return this.#lookupInRedis(key, entryKey, keyVersion, names, tagVersions);
  }

  /** The lookup script's answer (polling while another instance holds the key's lease). */
  async #lookupInRedis(
    key: string,
    entryKey: string,
    keyVersion: string,
    names: readonly string[],
    tagVersions: readonly string[],
  ): Promise<TierLookup> {
    const lease = this.options.lease;
    const deadline = lease === undefined ? 0 : performance.now() + lease.wait;
    let delay = 5;
    for (;;) {
      const token = lease === undefined ? '' : fresh();
      const reply = await this.#deadlines.watch(
        this.#redis.hcL2LookupBuffer(
          5 + names.length,
          entryKey,
          `${this.#p}:g`,
          `${this.#p}:c`,
          keyVersion,
          `${this.#p}:l:${key}`,
          ...tagVersions,
          fresh(),
          this.#vttl,
          `${this.#p}:t:`,
          token,
          lease?.ttl ?? 0,
        ),
      );
      const serverNow = reply[2] as number;
      this.#clock.observe(serverNow);
      if (reply[0] === 1) return hitIn(reply[1] as Buffer, serverNow);
      const leased = reply[1] === 1;
      if (lease === undefined || leased || performance.now() + delay > deadline || this.#closed) {
        return missOf(reply.slice(3).map(String), names, leased ? token : '');
      }
      // Another instance loads the key: poll until it filled it, or load here after the wait.
      await sleep(delay);
      delay = Math.min(delay * 2, MAX_POLL_DELAY);
    }
  }

  async fill(fill: TierFill): Promise<boolean> {
    const t = fill.ticket as RedisTicket;
    const declared = new Set(t.tags);
    const extra = [...new Set(fill.resultTags)].filter((tag) => !declared.has(tag));
    const stored = await this.#deadlines.watch(
      this.#redis.hcL2Fill(
        5 + t.tags.length + extra.length,
        this.#entry(fill.key),
        `${this.#p}:g`,
        `${this.#p}:c`,
        this.#keyVersion(fill.key),
        `${this.#p}:l:${fill.key}`,
        ...t.tags.map((tag) => this.#tagVersion(tag)),
        ...extra.map((tag) => this.#tagVersion(tag)),
        fresh(),
        this.#vttl,
        this.#entryTtl(fill.ttl),
        Buffer.from(fill.bytes.buffer, fill.bytes.byteOffset, fill.bytes.byteLength),
        t.lease,
        t.tags.length,
        t.g,
        t.c,
        t.k,
        ...t.versions,
        ...t.tags,
        ...extra,
      ),
    );
    return stored === 1;
  }

  async write(key: string, bytes: Uint8Array, tags: readonly string[], ttl: number): Promise<void> {
    const names = [...new Set(tags)];
    await this.#deadlines.watch(
      this.#redis.hcL2Write(
        4 + names.length,
        this.#entry(key),
        `${this.#p}:g`,
        `${this.#p}:c`,
        this.#keyVersion(key),
        ...names.map((tag) => this.#tagVersion(tag)),
        fresh(),
        this.#vttl,
        this.#entryTtl(ttl),
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        ...names,
      ),
    );
  }

  async release(key: string, ticket: unknown): Promise<void> {
    const lease = (ticket as RedisTicket).lease;
    if (lease !== '')
      await this.#deadlines.watch(this.#redis.hcL2Release(`${this.#p}:l:${key}`, lease));
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const names = [...new Set(tags)];
    await this.#deadlines.watch(
      this.#redis.hcL2BumpTags(
        1 + names.length,
        `${this.#p}:c`,
        ...names.map((tag) => this.#tagVersion(tag)),
        fresh(),
        this.#vttl,
      ),
    );
  }

  async invalidateKeys(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const names = [...new Set(keys)];
    await this.#deadlines.watch(
      this.#redis.hcL2BumpKeys(
        2 * names.length,
        ...names.map((key) => this.#keyVersion(key)),
        ...names.map((key) => this.#entry(key)),
        fresh(),
        this.#vttl,
      ),
    );
  }

  async recordApplied(stream: string, position: number): Promise<void> {
    await this.#deadlines.watch(
      this.#redis.hcL2Applied(this.#applied(stream), this.#member, position, this.#vttl),
    );
  }

  async appliedPast(stream: string, position: number): Promise<boolean> {
    const past = await this.#deadlines.watch(
      this.#redis.zrangebyscore(this.#applied(stream), `(${position}`, '+inf', 'LIMIT', 0, 1),
    );
    return past.length > 0;
  }

  async flush(): Promise<void> {
    await this.#deadlines.watch(this.#redis.hcL2Flush(`${this.#p}:g`, fresh()));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#deadlines.close();
    const client = this.#client;
    if (client instanceof Cluster) client.disconnect();
    else await shutDownConnection(client);
  }

  #applied(stream: string): string {
    return `${this.#p}:a:${stream}`;
  }

  #entry(key: string): string {
    return `${this.#p}:e:${key}`;
  }

  #keyVersion(key: string): string {
    return `${this.#p}:k:${key}`;
  }

  #tagVersion(tag: string): string {
    return `${this.#p}:t:${tag}`;
  }

  /** An entry lives no longer than its versions do (Infinity included). */
  #entryTtl(ttl: number): number {
    return Math.max(1, Math.min(Math.ceil(ttl), this.#vttl));
  }
}

/** 64 random bits drawn once per process: every token this process hands out starts with them. */
const PROCESS_TOKEN = randomBytes(8).toString('hex');
let issued = 0;

/**
 * A fresh incarnation or lease token: this process's random bits and a counter, so no two are
 * alike in this process, nor (but with a 2^-64 chance) across processes; no random draw per call.
 */
function fresh(): string {
  return `${PROCESS_TOKEN}${(issued++).toString(36)}`;
}

/** `tags` without repeats (the common none or one: no copy). */
function unique(tags: readonly string[]): readonly string[] {
  return tags.length < 2 ? tags : [...new Set(tags)];
}
