import type { CacheKeyBuilder, TagSet } from '@hydracache/nestjs';
import { TenantCache } from '../tenants/tenant-cache.js';
import type { User } from './user.js';

/**
 * Cache keys and tags of users, built with CacheKeyBuilder and TagSet so that tenant and user ids
 * are escaped: a tenant called `a:b` can never collide with another tenant's keys.
 */
export const UserCache = {
  /** `tenant:<tenant>:user:<id>`. */
  key: (tenant: string, id: number): CacheKeyBuilder =>
    TenantCache.scope(tenant).entity('user', id),

  /** `tenant:<tenant>:users`. */
  listKey: (tenant: string): CacheKeyBuilder => TenantCache.scope(tenant).segment('users'),

  /** `tenant:<tenant>:user:<id>`: carried by every entry holding this user. */
  tag: (tenant: string, id: number): string => UserCache.key(tenant, id).buildString(),

  /** Tags of one cached user: its tenant and itself. */
  entryTags: (tenant: string, id: number): TagSet =>
    TenantCache.tags(tenant).tag(UserCache.tag(tenant, id)),

  /** Tags a cached list learns from its result: one per user it holds. */
  listResultTags: (users: User[]): string[] =>
    users.map((user) => UserCache.tag(user.tenant, user.id)),
};
