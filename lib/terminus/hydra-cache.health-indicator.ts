import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CacheErrors } from '../core/cache.errors.js';
import { HydraCache } from '../core/hydra-cache.js';

/** How a health check reports a cache whose bus is disconnected. */
export type BusDownStatus = 'degraded' | 'down' | 'up';

/** Options of {@link HydraCacheHealthIndicator.isHealthy}. */
export interface HydraCacheHealthOptions {
  /**
   * The status while the bus is disconnected: `degraded` (still serving, with entries kept at
   * most `disconnectedTtl`; the check stays 200), `down` (the check fails with 503), or `up` (with
   * the bus details only). Default: `degraded` (`up` with `degraded: true` on terminus versions
   * without a degraded status).
   */
  busDown?: BusDownStatus;
}

const BUS_DOWN: readonly BusDownStatus[] = ['degraded', 'down', 'up'];

/**
 * A `@nestjs/terminus` health indicator for the application's {@link HydraCache}: reports its name,
 * size and capacity, and its bus's state when it has one (connected, when it last connected,
 * disconnects, gaps, resyncs, publish failures, retry queue), and its second tier's trust and
 * counters when it has one. Add it to the providers of the module holding your health
 * controller (which imports `TerminusModule`).
 */
@Injectable()
export class HydraCacheHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Inject(HydraCache) private readonly cache: HydraCache,
  ) {}

  /** The cache's health under `key` (default `hydracache`); throws `E_INVALID_OPTION` for a bad option. */
  isHealthy<const Key extends string = 'hydracache'>(
    key: Key = 'hydracache' as Key,
    options: HydraCacheHealthOptions = {},
  ): HealthIndicatorResult<Key> {
    const busDown = options.busDown ?? 'degraded';
    if (!BUS_DOWN.includes(busDown)) {
      throw CacheErrors.invalidOption('busDown', "'degraded', 'down' or 'up'", busDown);
    }
    const session = this.health.check(key);
    const stats = this.cache.stats();
    const data: Record<string, unknown> = {
      name: this.cache.name,
      size: stats.size,
      capacity: this.cache.maxCapacity,
    };
    const l2 = this.cache.l2Stats();
    // Informational: an untrusted or failing tier costs loads, never correctness, so it stays up.
    if (l2 !== undefined) {
      data.l2 = {
        trusted: l2.trusted,
        pendingInvalidations: l2.pendingInvalidations,
        hits: l2.hits,
        misses: l2.misses,
        errors: l2.errors,
        timeouts: l2.timeouts,
      };
    }
    const bus = this.cache.busStats();
    if (bus === undefined) return session.up(data);
    data.bus = {
      transport: bus.transport,
      connected: bus.connected,
      lastConnectedAt:
        bus.lastConnectedAt === undefined ? null : new Date(bus.lastConnectedAt).toISOString(),
      disconnects: bus.disconnects,
      gapsDetected: bus.gapsDetected,
      resyncs: bus.resyncs,
      outageFlushes: bus.outageFlushes,
      publishFailures: bus.publishFailures,
      retryQueueSize: bus.retryQueueSize,
      retryQueueOverflows: bus.retryQueueOverflows,
    };
    if (bus.connected || busDown === 'up') return session.up(data);
    if (busDown === 'down')
      return session.down({ ...data, message: 'The cache bus is disconnected.' });
    // terminus before 12 has no degraded status: up, marked degraded.
    return typeof session.degraded === 'function'
      ? session.degraded({ ...data, message: 'The cache bus is disconnected.' })
      : session.up({ ...data, degraded: true, message: 'The cache bus is disconnected.' });
  }
}
