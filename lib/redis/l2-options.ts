import type { Redis } from 'ioredis';
import { CacheErrors } from '../core/cache.errors.js';
import { checkOptionFields } from '../core/option-fields.js';

/** A Redis Cluster node to start from. */
export interface RedisL2Node {
  readonly host: string;
  readonly port: number;
}

/** Options of {@link redisL2}; every field is optional. */
export interface RedisL2Options {
  /** Redis to connect to when neither `client` nor `nodes` is given. Default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** An ioredis client of the app's to take the server and credentials from; `duplicate()`d with the tier's own settings, never changed or closed. */
  readonly client?: Redis;
  /** Redis Cluster start-up nodes: the tier connects as a cluster client. Excludes `url` and `client`. */
  readonly nodes?: readonly RedisL2Node[];
  /** Every key of the tier is `{<prefix>}:...`: one hash slot (see docs/redis-l2.md). Default `'hydracache:l2'`. */
  readonly prefix?: string;
  /** Milliseconds before a Redis call counts as failed (the cache then goes on without it). Default 50. */
  readonly timeout?: number;
  /** Milliseconds to wait for one connection attempt. Default 1 000. */
  readonly connectTimeout?: number;
  /** Largest value in bytes the tier stores; larger ones stay in the instance. Default 1 MiB. */
  readonly maxEntryBytes?: number;
  /**
   * How long (ms) a key's or tag's version outlives its last use; entries live at most as long.
   * A version that expired is created afresh, which only turns older entries into misses. Default 86 400 000 (a day).
   */
  readonly versionTtl?: number;
  /**
   * Distributed single-flight: a cold key is loaded by one instance at a time. `ttl` (ms) bounds
   * how long a lease holder may take (its fill is refused after it); `wait` (ms) how long the
   * others poll the tier before loading themselves. Default: none (each instance loads its misses).
   */
  readonly lease?: { readonly ttl: number; readonly wait: number };
}

/** {@link RedisL2Options} with defaults applied. */
export interface ResolvedRedisL2Options {
  readonly url: string;
  readonly client: Redis | undefined;
  readonly nodes: readonly RedisL2Node[] | undefined;
  readonly prefix: string;
  readonly timeout: number;
  readonly connectTimeout: number;
  readonly maxEntryBytes: number;
  readonly versionTtl: number;
  readonly lease: { readonly ttl: number; readonly wait: number } | undefined;
}

const FIELDS = [
  'url',
  'client',
  'nodes',
  'prefix',
  'timeout',
  'connectTimeout',
  'maxEntryBytes',
  'versionTtl',
  'lease',
] as const;

/** Validates `options` (E_INVALID_OPTION naming the field) and fills in the defaults. */
export function resolveRedisL2Options(options: RedisL2Options = {}): ResolvedRedisL2Options {
  const given = checkOptionFields<RedisL2Options>(options, 'redisL2 options', FIELDS);
  const sources = [given.url, given.client, given.nodes].filter((v) => v !== undefined);
  if (sources.length > 1) {
    throw CacheErrors.invalidOption('redisL2 url', 'only one of url, client and nodes', given.url);
  }
  if (
    given.url !== undefined &&
    (typeof given.url !== 'string' || !/^rediss?:\/\//.test(given.url))
  )
    throw CacheErrors.invalidOption('redisL2 url', 'a redis:// or rediss:// URL', given.url);
  if (
    given.client !== undefined &&
    typeof (given.client as Partial<Redis>)?.duplicate !== 'function'
  )
    throw CacheErrors.invalidOption('redisL2 client', 'an ioredis client', given.client);
  if (given.nodes !== undefined && !validNodes(given.nodes))
    throw CacheErrors.invalidOption(
      'redisL2 nodes',
      'a non-empty array of { host, port }',
      given.nodes,
    );
  const prefix = given.prefix ?? 'hydracache:l2';
  if (typeof prefix !== 'string' || !/^[^{}\s]{1,100}$/.test(prefix))
    throw CacheErrors.invalidOption(
      'redisL2 prefix',
      '1 to 100 characters, no braces or spaces',
      prefix,
    );
  return {
    url: given.url ?? 'redis://127.0.0.1:6379',
    client: given.client,
    nodes: given.nodes,
    prefix,
    timeout: millis(given.timeout, 'timeout', 50),
    connectTimeout: millis(given.connectTimeout, 'connectTimeout', 1_000),
    maxEntryBytes: millis(given.maxEntryBytes, 'maxEntryBytes', 1024 * 1024),
    versionTtl: millis(given.versionTtl, 'versionTtl', 86_400_000),
    lease: given.lease === undefined ? undefined : checkLease(given.lease),
  };
}

function checkLease(lease: unknown): { ttl: number; wait: number } {
  const given = checkOptionFields<{ ttl?: number; wait?: number }>(lease, 'redisL2 lease', [
    'ttl',
    'wait',
  ]);
  if (given.ttl === undefined || given.wait === undefined)
    throw CacheErrors.invalidOption('redisL2 lease', '{ ttl, wait } in ms', lease);
  return { ttl: millis(given.ttl, 'lease.ttl', 0), wait: millis(given.wait, 'lease.wait', 0) };
}

function validNodes(nodes: unknown): boolean {
  return (
    Array.isArray(nodes) &&
    nodes.length > 0 &&
    nodes.every(
      (n: Partial<RedisL2Node>) => typeof n?.host === 'string' && Number.isSafeInteger(n.port),
    )
  );
}

function millis(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw CacheErrors.invalidOption(`redisL2 ${field}`, 'a positive integer', value);
  }
  return value;
}
