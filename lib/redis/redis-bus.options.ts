import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CacheErrors } from '../core/cache.errors.js';
import { checkOptionFields } from '../core/option-fields.js';
import { MIN_KEY_BYTES } from './frame-auth.js';

/** Options of {@link redisBus}; every field is optional. */
export interface RedisBusOptions {
  /** Redis to connect to when no `client` is given. Default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /**
   * An ioredis client of the app's to take the server and credentials from. It is `duplicate()`d
   * with the bus's own connection settings and never changed or closed. Excludes `url`.
   */
  readonly client?: Redis;
  /** Instances on the same channel share invalidations; Redis channel `hydracache:v1:<channel>`. Default `'default'`. */
  readonly channel?: string;
  /** This instance's id in connection names `hydracache:<channel>:sub|pub:<name>`. Default: 8 random hex digits. */
  readonly name?: string;
  /** Milliseconds to wait for one connection attempt. Default 2 000. */
  readonly connectTimeout?: number;
  /** Milliseconds before a publish or a health check counts as failed. Default 1 000. */
  readonly commandTimeout?: number;
  /** Milliseconds between health checks of the subscription (0: none). Default 2 000. */
  readonly heartbeatInterval?: number;
  /** Longest pause between reconnection attempts, in ms; attempts start at 50 ms and double. Default 2 000. */
  readonly maxReconnectDelay?: number;
  /**
   * A secret shared by every instance on the channel (at least 32 bytes; a string counts its UTF-8
   * bytes). Each frame then carries an HMAC-SHA256 under it, and frames without a valid one are
   * ignored (counted as `unauthenticated` in `busStats()`), so whoever can PUBLISH on the channel
   * but lacks the key can neither invalidate nor flush. Default: none (frames are not authenticated).
   */
  readonly key?: string | Buffer;
  /**
   * Further keys whose frames are accepted but never used to sign: the old key while rotating to a
   * new one (see docs/many-instances.md). Requires `key`. Default: none.
   */
  readonly acceptKeys?: readonly (string | Buffer)[];
  /**
   * Invalidations kept in Redis (a Stream capped at about this many entries) so that an instance
   * that missed some while disconnected replays them and keeps the rest of its local cache; only a
   * gap longer than the log drops it. 0 turns the log off. Default 1 000.
   */
  readonly replayLog?: number;
}

/** {@link RedisBusOptions} with defaults applied and the Redis names derived. */
export interface ResolvedRedisBusOptions {
  readonly url: string;
  readonly client: Redis | undefined;
  readonly channel: string;
  readonly name: string;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
  readonly heartbeatInterval: number;
  readonly maxReconnectDelay: number;
  /** The key frames are signed with, as bytes; undefined when frames are not authenticated. */
  readonly key: Buffer | undefined;
  /** Further keys accepted when checking frames. */
  readonly acceptKeys: readonly Buffer[];
  /** Entries the replay log keeps (0: no log). */
  readonly replayLog: number;
  /** The pub/sub channel, with the wire version in it. */
  readonly redisChannel: string;
  /** The hash holding the channel's sequence counter and epoch. */
  readonly stateKey: string;
  /** The Stream replaying recent frames, in the state's hash slot. */
  readonly logKey: string;
}

const FIELDS = [
  'url',
  'client',
  'channel',
  'name',
  'connectTimeout',
  'commandTimeout',
  'heartbeatInterval',
  'maxReconnectDelay',
  'key',
  'acceptKeys',
  'replayLog',
] as const;

// Connection names may not hold spaces; keep channel and name to characters safe in every Redis name.
const NAME_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
const NAME_EXPECTED = '1 to 100 characters among letters, digits and . _ : -';

/** Validates `options` (E_INVALID_OPTION naming the field) and fills in the defaults. */
export function resolveRedisBusOptions(options: RedisBusOptions = {}): ResolvedRedisBusOptions {
  const given = checkOptionFields<RedisBusOptions>(options, 'redisBus options', FIELDS);
  if (given.url !== undefined && given.client !== undefined) {
    throw CacheErrors.invalidOption('redisBus url', 'no url when a client is given', given.url);
  }
  if (
    given.url !== undefined &&
    (typeof given.url !== 'string' || !/^rediss?:\/\//.test(given.url))
  ) {
    throw CacheErrors.invalidOption('redisBus url', 'a redis:// or rediss:// URL', given.url);
  }
  if (
    given.client !== undefined &&
    typeof (given.client as Partial<Redis>)?.duplicate !== 'function'
  ) {
    throw CacheErrors.invalidOption('redisBus client', 'an ioredis client', given.client);
  }
  const channel = text(given.channel, 'channel', 'default');
  const name = text(given.name, 'name', randomBytes(4).toString('hex'));
  return {
    url: given.url ?? 'redis://127.0.0.1:6379',
    client: given.client,
    channel,
    name,
    connectTimeout: millis(given.connectTimeout, 'connectTimeout', 2_000, 1),
    commandTimeout: millis(given.commandTimeout, 'commandTimeout', 1_000, 1),
    heartbeatInterval: millis(given.heartbeatInterval, 'heartbeatInterval', 2_000, 0),
    maxReconnectDelay: millis(given.maxReconnectDelay, 'maxReconnectDelay', 2_000, 50),
    ...keys(given.key, given.acceptKeys),
    replayLog: count(given.replayLog, 'replayLog', 1_000),
    redisChannel: `hydracache:v1:${channel}`,
    stateKey: `hydracache:v1:${channel}:state`,
    logKey: `{hydracache:v1:${channel}:state}:log`,
  };
}

function keys(
  key: unknown,
  accepted: unknown,
): { key: Buffer | undefined; acceptKeys: readonly Buffer[] } {
  if (accepted !== undefined && key === undefined) {
    throw CacheErrors.invalidOption(
      'redisBus acceptKeys',
      'a `key` to sign with beside it',
      accepted,
    );
  }
  if (accepted !== undefined && !Array.isArray(accepted)) {
    throw CacheErrors.invalidOption('redisBus acceptKeys', 'an array of keys', accepted);
  }
  return {
    key: key === undefined ? undefined : keyBytes(key, 'key'),
    acceptKeys: ((accepted ?? []) as unknown[]).map((k, i) => keyBytes(k, `acceptKeys[${i}]`)),
  };
}

/** A key as a private copy of its bytes; never quotes the key in the error. */
function keyBytes(value: unknown, field: string): Buffer {
  const bytes =
    typeof value === 'string'
      ? Buffer.from(value, 'utf8')
      : value instanceof Uint8Array
        ? Buffer.from(value)
        : undefined;
  if (bytes === undefined || bytes.length < MIN_KEY_BYTES) {
    throw CacheErrors.invalidOption(
      `redisBus ${field}`,
      `a string or Buffer of at least ${MIN_KEY_BYTES} bytes (e.g. randomBytes(32).toString('base64'))`,
      bytes === undefined ? value : `${bytes.length} bytes (value withheld)`,
    );
  }
  return bytes;
}

function count(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw CacheErrors.invalidOption(`redisBus ${field}`, 'an integer >= 0', value);
  }
  return value;
}

function text(value: unknown, field: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw CacheErrors.invalidOption(`redisBus ${field}`, NAME_EXPECTED, value);
  }
  return value;
}

function millis(value: unknown, field: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw CacheErrors.invalidOption(
      `redisBus ${field}`,
      `an integer number of ms >= ${min}`,
      value,
    );
  }
  return value;
}
