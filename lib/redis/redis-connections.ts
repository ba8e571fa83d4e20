import { Redis, type RedisOptions } from 'ioredis';
import type { ResolvedRedisBusOptions } from './redis-bus.options.js';

/** Which of the bus's two connections. */
export type ConnectionRole = 'sub' | 'pub';

/**
 * Opens one of the bus's connections. The settings are what the bus's guarantees rest on:
 * no offline queue (a command while down rejects at once instead of waiting ~70 s), a command
 * timeout, retries that never stop (capped backoff), no automatic resubscribe (the transport
 * resubscribes itself so it can sync the sequence first), and a `hydracache:` connection name.
 * A duplicated app client keeps its server, credentials and TLS; database, key prefix and lazy
 * connect are overridden.
 */
export function openConnection(options: ResolvedRedisBusOptions, role: ConnectionRole): Redis {
  const settings: RedisOptions = {
    connectionName: `hydracache:${options.channel}:${role}:${options.name}`,
    enableOfflineQueue: false,
    autoResubscribe: false,
    connectTimeout: options.connectTimeout,
    commandTimeout: options.commandTimeout,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) =>
      Math.min(50 * 2 ** Math.min(attempt - 1, 16), options.maxReconnectDelay),
    reconnectOnError: () => false,
    // The counter must be one key for every instance on the channel (pub/sub ignores the database).
    db: 0,
    keyPrefix: '',
    lazyConnect: false,
  };
  return options.client ? options.client.duplicate(settings) : new Redis(options.url, settings);
}
