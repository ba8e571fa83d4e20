import { Injectable, NotFoundException } from '@nestjs/common';
import { Cached, InvalidateTags } from '@hydracache/nestjs';
import type { User, UserPatch } from './user.js';
import { UserCache } from './user-cache.js';
import { USER_READ_RESILIENCE } from './user-resilience.js';
import { UsersRepository } from './users.repository.js';

/** Users, cached with decorators: reads with @Cached, writes with @InvalidateTags. */
@Injectable()
export class UsersService {
  constructor(private readonly repository: UsersRepository) {}

  /**
   * Cached under `users:tenant:<tenant>:user:<id>`. Concurrent misses share one query. A missing
   * user throws NotFoundException, which reaches the caller unchanged and is never cached. When the
   * database fails or stalls, a user cached in the last 10 minutes is served stale instead
   * (grace, fail-safe, timeouts: see {@link USER_READ_RESILIENCE}).
   */
  @Cached({
    namespace: 'users',
    key: UserCache.key,
    tags: UserCache.entryTags,
    ...USER_READ_RESILIENCE,
  })
  async findOne(tenant: string, id: number): Promise<User> {
    const user = await this.repository.findById(tenant, id);
    if (user === null) throw new NotFoundException(`No user ${id} in tenant "${tenant}"`);
    return user;
  }

  /** The tenant's users; the list is also tagged with each user it holds (resultTags). */
  @Cached({
    namespace: 'users',
    key: UserCache.listKey,
    tags: UserCache.listTags,
    resultTags: UserCache.listResultTags,
  })
  async list(tenant: string): Promise<User[]> {
    return this.repository.findByTenant(tenant);
  }

  /** How many users the tenant has: cached by TypeORM's `cache` option, no decorator needed. */
  count(tenant: string): Promise<number> {
    return this.repository.countByTenant(tenant);
  }

  /**
   * Updates the user, then invalidates its row tag here at once (so this instance reads its own
   * write); the change feed invalidates the same tag on every instance after the commit.
   */
  @InvalidateTags((tenant: string, id: number) => UserCache.tag(tenant, id))
  async update(tenant: string, id: number, patch: UserPatch): Promise<User> {
    const user = await this.repository.update(tenant, id, patch);
    if (user === null) throw new NotFoundException(`No user ${id} in tenant "${tenant}"`);
    return user;
  }
}
