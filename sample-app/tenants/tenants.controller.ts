import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { parseTenantUpdate } from './tenant-update.js';
import type { Tenant } from './tenant.js';
import { TenantsService } from './tenants.service.js';

/** `GET /tenants/:tenant` and `PUT /tenants/:tenant`. */
@Controller('tenants/:tenant')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  findOne(@Param('tenant') tenant: string): Promise<Tenant> {
    return this.tenants.findOne(tenant);
  }

  @Put()
  update(@Param('tenant') tenant: string, @Body() body: unknown): Promise<Tenant> {
    return this.tenants.update(tenant, parseTenantUpdate(body));
  }
}
