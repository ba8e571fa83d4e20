/**
 * `@hydracache/nestjs/redis`: the Redis transport for the cache bus, and the Redis second tier. A separate entry point so that
 * apps without Redis never load ioredis (an optional peer dependency).
 */
import type { BusTransport } from '../core/bus/bus-transport.js';
import { resolveRedisBusOptions, type RedisBusOptions } from './redis-bus.options.js';
import { RedisBusTransport } from './redis-bus.transport.js';
import type { SecondTier } from '../core/l2/second-tier.js';
import { resolveRedisL2Options, type RedisL2Options } from './l2-options.js';
import { RedisSecondTier } from './l2-tier.js';

export type { RedisBusOptions } from './redis-bus.options.js';

/**
 * A bus transport over Redis pub/sub that reports every possible lost message as a gap; pass it to
 * the cache's `bus` setting. Connects in the background and reconnects for as long as it lives.
 */
export function redisBus(options: RedisBusOptions = {}): BusTransport {
  return new RedisBusTransport(resolveRedisBusOptions(options));
}

export type { RedisL2Options, RedisL2Node } from './l2-options.js';
export { RedisSecondTier };

/**
 * A second tier in Redis shared by every instance; pass it to the cache's `l2` setting. Stale-load
 * safe across instances by versions, never by clocks (docs/redis-l2.md). Connects in the
 * background; while Redis is down or slow the cache runs on its own, within `timeout` ms a call.
 */
export function redisL2(options: RedisL2Options = {}): SecondTier {
  return new RedisSecondTier(resolveRedisL2Options(options));
}
