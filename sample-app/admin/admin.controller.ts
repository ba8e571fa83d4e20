import { BadRequestException, Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { HydraCache } from '@hydracache/nestjs';
import { parseDbFaultBody, type DbFault } from '../database/db-fault.js';
import { QueryGate } from '../database/query-gate.js';

/** What the database admin endpoints answer: the fault now simulated, and held queries. */
export interface DatabaseState {
  readonly fault: DbFault;
  readonly stalledQueries: number;
}

/**
 * Operator switches, to stage an outage and watch the cache shield the users:
 * - `GET /admin/database`: the database's current (simulated) fault.
 * - `PUT /admin/database` with `{ "fault": "none" | "fail" | "stall" }`: `fail` makes every query
 *   fail at once (503), `stall` holds every query until the fault is switched off; anything else is
 *   a 400 naming the problem. The same fault can be set at start with `DB_FAULT`.
 * - `POST /admin/cache/expire` with `{ "key": "users:tenant:acme:user:1" }`: `cache.expireKey`,
 *   marks the entry stale now (refreshed on the next read, still servable by fail-safe within its
 *   grace) instead of waiting for its TTL. Answers how many entries were expired.
 */
@Controller('admin')
export class AdminController {
  constructor(
    private readonly db: QueryGate,
    private readonly cache: HydraCache,
  ) {}

  @Get('database')
  database(): DatabaseState {
    return { fault: this.db.fault, stalledQueries: this.db.stalledQueries };
  }

  @Put('database')
  setFault(@Body() body: unknown): DatabaseState {
    this.db.setFault(parseDbFaultBody(body));
    return this.database();
  }

  @Post('cache/expire')
  @HttpCode(200)
  async expire(@Body() body: unknown): Promise<{ key: string; expired: number }> {
    const { key, ...rest } = (body ?? {}) as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined)
      throw new BadRequestException(`Unknown field "${extra}": expected key`);
    if (typeof key !== 'string' || key === '') {
      throw new BadRequestException(
        'key must be a non-empty string, e.g. users:tenant:acme:user:1',
      );
    }
    return { key, expired: await this.cache.expireKey(key) };
  }
}
