import { Controller, Get } from '@nestjs/common';
import { HydraCache, type CacheDiagnostics, type CacheStats } from '@hydracache/nestjs';
import { FakeDatabase } from '../database/fake-database.js';

/** Read-only counters, to watch the cache work: `GET /cache/stats` and `GET /db/stats`. */
@Controller()
export class StatsController {
  constructor(
    private readonly cache: HydraCache,
    private readonly db: FakeDatabase,
  ) {}

  @Get('cache/stats')
  cacheStats(): { stats: CacheStats; diagnostics: CacheDiagnostics } {
    return { stats: this.cache.stats(), diagnostics: this.cache.diagnostics() };
  }

  @Get('db/stats')
  dbStats(): { queries: number } {
    return { queries: this.db.queries };
  }
}
