/**
 * `@hydracache/nestjs/redis`: the Redis transport for the cache bus. A separate entry point so that
 * apps without Redis never load ioredis (an optional peer dependency).
 */
import type { BusTransport } from '../core/bus/bus-transport.js';
import { resolveRedisBusOptions, type RedisBusOptions } from './redis-bus.options.js';
import { RedisBusTransport } from './redis-bus.transport.js';

export type { RedisBusOptions } from './redis-bus.options.js';

/**
 * A bus transport over Redis pub/sub that reports every possible lost message as a gap; pass it to
 * the cache's `bus` setting. Connects in the background and reconnects for as long as it lives.
 */
export function redisBus(options: RedisBusOptions = {}): BusTransport {
  return new RedisBusTransport(resolveRedisBusOptions(options));
}
