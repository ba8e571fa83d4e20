import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import {
  HydraCache,
  type CacheBusStats,
  type CacheDiagnostics,
  type CacheStats,
} from '@hydracache/nestjs';
import { QueryGate } from '../database/query-gate.js';
import { RemoteChangesCounter } from './remote-changes.counter.js';

/**
 * Read-only counters, to watch the cache work: `GET /cache/stats`, `GET /db/stats`, and
 * `GET /cache/contains?key=...` (whether an entry is cached here, without loading or counting it).
 */
@Controller()
export class StatsController {
  constructor(
    private readonly cache: HydraCache,
    private readonly db: QueryGate,
    private readonly remote: RemoteChangesCounter,
  ) {}

  /**
   * `remoteChanges` counts invalidations applied from the change feed or the bus; `bus` is present
   * only when the cache is on a bus (`REDIS_URL` set).
   */
  @Get('cache/stats')
  cacheStats(): {
    stats: CacheStats;
    diagnostics: CacheDiagnostics;
    remoteChanges: number;
    bus?: CacheBusStats;
  } {
    const bus = this.cache.busStats();
    const counters = {
      stats: this.cache.stats(),
      diagnostics: this.cache.diagnostics(),
      remoteChanges: this.remote.count,
    };
    return bus === undefined ? counters : { ...counters, bus };
  }

  @Get('cache/contains')
  async contains(@Query('key') key: unknown): Promise<{ key: string; cached: boolean }> {
    if (typeof key !== 'string' || key === '') {
      throw new BadRequestException('key must be given once, e.g. ?key=users:tenant:acme:user:1');
    }
    return { key, cached: await this.cache.containsKey(key) };
  }

  @Get('db/stats')
  dbStats(): { queries: number } {
    return { queries: this.db.queries };
  }
}
