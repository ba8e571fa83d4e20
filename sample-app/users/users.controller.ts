import { Body, Controller, Get, Param, ParseIntPipe, Patch } from '@nestjs/common';
import { parseUserPatch } from './user-patch.js';
import type { User } from './user.js';
import { UsersService } from './users.service.js';

/**
 * `GET /tenants/:tenant/users`, `GET /tenants/:tenant/users/count` (TypeORM's query cache, backed
 * by HydraCache), `GET` and `PATCH /tenants/:tenant/users/:id`.
 */
@Controller('tenants/:tenant/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@Param('tenant') tenant: string): Promise<User[]> {
    return this.users.list(tenant);
  }

  /** Declared before `:id`, so that `count` is not taken for an id. */
  @Get('count')
  async count(@Param('tenant') tenant: string): Promise<{ tenant: string; users: number }> {
    return { tenant, users: await this.users.count(tenant) };
  }

  @Get(':id')
  findOne(@Param('tenant') tenant: string, @Param('id', ParseIntPipe) id: number): Promise<User> {
    return this.users.findOne(tenant, id);
  }

  @Patch(':id')
  update(
    @Param('tenant') tenant: string,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: unknown,
  ): Promise<User> {
    return this.users.update(tenant, id, parseUserPatch(body));
  }
}
