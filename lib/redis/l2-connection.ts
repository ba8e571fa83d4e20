import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ResolvedRedisL2Options } from './l2-options.js';
import {
  APPLIED,
  BUMP_KEYS,
  BUMP_TAGS,
  FILL,
  FLUSH,
  LOOKUP,
  NOW,
  RELEASE,
  WRITE,
} from './l2-scripts.js';

/** What a lookup script returns, with the binary-safe (Buffer) reply. */
export type LookupReply = [number, ...(Buffer | number)[]];

/** The tier's connection with its scripts defined (ioredis runs them with EVALSHA). */
export interface L2Connection {
  mgetBuffer(...keys: string[]): Promise<(Buffer | null)[]>;
  hcL2Now(key: string): Promise<number>;
  hcL2Applied(key: string, member: string, position: number, vttl: number): Promise<number>;
  zrangebyscore(
    key: string,
    min: string,
    max: string,
    limit: 'LIMIT',
    offset: number,
    count: number,
  ): Promise<string[]>;
  hcL2LookupBuffer(...args: (string | number | Buffer)[]): Promise<LookupReply>;
  hcL2Fill(...args: (string | number | Buffer)[]): Promise<number>;
  hcL2Write(...args: (string | number | Buffer)[]): Promise<number>;
  hcL2BumpKeys(...args: (string | number)[]): Promise<number>;
  hcL2BumpTags(...args: (string | number)[]): Promise<number>;
  hcL2Flush(...args: (string | number)[]): Promise<number>;
  hcL2Release(...args: (string | number)[]): Promise<number>;
}

/**
 * Opens the tier's connection. What the outage behaviour rests on: no offline queue (a call while
 * disconnected fails at once), no retry of a failed command, and reconnection that never stops
 * (capped backoff). A paused or slow Redis fails a call after `timeout` ms through the tier's
 * CallDeadlines rather than ioredis's per-command timer. A duplicated app client keeps its server, credentials and TLS.
 */
export function openL2Connection(options: ResolvedRedisL2Options): Redis | Cluster {
  const settings: RedisOptions = {
    connectionName: `hydracache:l2:${options.prefix}`,
    enableOfflineQueue: false,
    connectTimeout: options.connectTimeout,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), 2_000),
    reconnectOnError: () => false,
    keyPrefix: '',
  };
  const client =
    options.nodes !== undefined
      ? new Cluster([...options.nodes], {
          enableOfflineQueue: false,
          clusterRetryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), 2_000),
          redisOptions: settings,
        })
      : options.client
        ? options.client.duplicate(settings)
        : new Redis(options.url, settings);
  // Failures reach the callers as rejected calls; the event is only noise here.
  client.on('error', () => undefined);
  const define = (name: string, numberOfKeys: number | undefined, lua: string): void => {
    if (numberOfKeys === undefined) client.defineCommand(name, { lua });
    else client.defineCommand(name, { numberOfKeys, lua });
  };
  // Scripts whose key count varies take it as their first argument.
  define('hcL2Lookup', undefined, LOOKUP);
  define('hcL2Fill', undefined, FILL);
  define('hcL2Write', undefined, WRITE);
  define('hcL2BumpKeys', undefined, BUMP_KEYS);
  define('hcL2BumpTags', undefined, BUMP_TAGS);
  define('hcL2Flush', 1, FLUSH);
  define('hcL2Release', 1, RELEASE);
  define('hcL2Now', 1, NOW);
  define('hcL2Applied', 1, APPLIED);
  return client;
}
