import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import { CacheRoute, HydraCacheInterceptor } from '@hydracache/nestjs';
import { TenantCache } from './tenant-cache.js';
import { parseTenantUpdate } from './tenant-update.js';
import type { Tenant } from './tenant.js';
import { TenantsService } from './tenants.service.js';

/**
 * `GET /tenants/:tenant` and `PUT /tenants/:tenant`. The GET response itself is cached too (with
 * an ETag, so a client revalidating gets a 304 without the handler running), under the tenant's
 * tag: the PUT's invalidation drops it with everything else of the tenant.
 */
@Controller('tenants/:tenant')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @UseInterceptors(HydraCacheInterceptor)
  @CacheRoute({
    ttl: 30_000,
    public: true,
    tags: (req) => TenantCache.rowTags(req.params!.tenant!),
  })
  findOne(@Param('tenant') tenant: string): Promise<Tenant> {
    return this.tenants.findOne(tenant);
  }

  @Put()
  update(@Param('tenant') tenant: string, @Body() body: unknown): Promise<Tenant> {
    return this.tenants.update(tenant, parseTenantUpdate(body));
  }
}
