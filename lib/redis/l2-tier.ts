import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import type { SecondTier, TierFill, TierLookup } from '../core/l2/second-tier.js';
import { openL2Connection, type L2Connection } from './l2-connection.js';
import type { ResolvedRedisL2Options } from './l2-options.js';
import { shutDownConnection } from './shut-down-connection.js';

/** What a lookup read: the versions a fill must still find, and the lease it holds ('' for none). */
interface RedisTicket {
  readonly g: string;
  readonly c: string;
  readonly k: string;
  /** Declared tags (deduplicated) and their versions, in the same order. */
  readonly tags: readonly string[];
  readonly versions: readonly string[];
  readonly lease: string;
}

/** Longest pause (ms) between two polls of a waiter for a leased key. */
const MAX_POLL_DELAY = 100;

/**
 * The Redis second tier: entries and versions in Redis, every operation one Lua script (see
 * l2-scripts.ts for the keys and the version design). Each call fails within `timeout` ms when
 * Redis is down or slow; the cache counts it and goes on without the tier.
 */
export class RedisSecondTier implements SecondTier {
  readonly #client: Redis | Cluster;
  readonly #redis: L2Connection;
  readonly #p: string;
  readonly #vttl: number;
  #closed = false;

  constructor(private readonly options: ResolvedRedisL2Options) {
    this.#client = openL2Connection(options);
    this.#redis = this.#client as unknown as L2Connection;
    this.#p = `{${options.prefix}}`;
    this.#vttl = options.versionTtl;
  }

  /** Largest value in bytes this tier stores. */
  get maxEntryBytes(): number {
    return this.options.maxEntryBytes;
  }

  /** The underlying client (tests and health checks). */
  get client(): Redis | Cluster {
    return this.#client;
  }

  async lookup(key: string, tags: readonly string[]): Promise<TierLookup> {
    const names = unique(tags);
    const lease = this.options.lease;
    const deadline = lease === undefined ? 0 : performance.now() + lease.wait;
    let delay = 5;
    for (;;) {
      const token = lease === undefined ? '' : fresh();
      const reply = await this.#redis.hcL2LookupBuffer(
        5 + names.length,
        this.#entry(key),
        `${this.#p}:g`,
        `${this.#p}:c`,
        this.#keyVersion(key),
        `${this.#p}:l:${key}`,
        ...names.map((tag) => this.#tagVersion(tag)),
        fresh(),
        this.#vttl,
        `${this.#p}:t:`,
        token,
        lease?.ttl ?? 0,
      );
      if (reply[0] === 1) return hit(reply);
      const leased = reply[1] === 1;
      if (lease === undefined || leased || performance.now() + delay > deadline || this.#closed) {
        const [g, c, k, ...versions] = reply.slice(2).map(String);
        const ticket: RedisTicket = {
          g: g!,
          c: c!,
          k: k!,
          tags: names,
          versions,
          lease: leased ? token : '',
        };
        return { hit: false, ticket };
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
    const stored = await this.#redis.hcL2Fill(
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
    );
    return stored === 1;
  }

  async write(key: string, bytes: Uint8Array, tags: readonly string[], ttl: number): Promise<void> {
    const names = [...new Set(tags)];
    await this.#redis.hcL2Write(
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
    );
  }

  async release(key: string, ticket: unknown): Promise<void> {
    const lease = (ticket as RedisTicket).lease;
    if (lease !== '') await this.#redis.hcL2Release(`${this.#p}:l:${key}`, lease);
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const names = [...new Set(tags)];
    await this.#redis.hcL2BumpTags(
      1 + names.length,
      `${this.#p}:c`,
      ...names.map((tag) => this.#tagVersion(tag)),
      fresh(),
      this.#vttl,
    );
  }

  async invalidateKeys(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const names = [...new Set(keys)];
    await this.#redis.hcL2BumpKeys(
      2 * names.length,
      ...names.map((key) => this.#keyVersion(key)),
      ...names.map((key) => this.#entry(key)),
      fresh(),
      this.#vttl,
    );
  }

  async flush(): Promise<void> {
    await this.#redis.hcL2Flush(`${this.#p}:g`, fresh());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const client = this.#client;
    if (client instanceof Cluster) client.disconnect();
    else await shutDownConnection(client);
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

const NO_TAGS: readonly string[] = Object.freeze([]);

/** `tags` without repeats (the common none or one: no copy). */
function unique(tags: readonly string[]): readonly string[] {
  return tags.length < 2 ? tags : [...new Set(tags)];
}

function hit(reply: (Buffer | number)[]): TierLookup {
  const pttl = reply[2] as number;
  return {
    hit: true,
    bytes: reply[1] as Buffer,
    ttl: pttl < 0 ? Infinity : pttl,
    tags:
      reply.length === 3
        ? NO_TAGS
        : reply.slice(3).map((name) => (name as Buffer).toString('utf8')),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
