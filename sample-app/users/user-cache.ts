import { rowTag, tableTag, type CacheKeyBuilder, type TagSet } from '@hydracache/nestjs';
import { TenantCache } from '../tenants/tenant-cache.js';
import type { User } from './user.js';

/**
 * Cache keys and tags of users. Keys are built with CacheKeyBuilder so that tenant and user ids
 * are escaped: a tenant called `a:b` can never collide with another tenant's keys. Tags are the
 * database's own (`rowTag`, `tableTag`): the ones the Postgres change feed invalidates when the
 * row changes, whoever changed it.
 */
export const UserCache = {
  /** `tenant:<tenant>:user:<id>`. */
  key: (tenant: string, id: number): CacheKeyBuilder =>
    TenantCache.scope(tenant).entity('user', id),

  /** `tenant:<tenant>:users`. */
  listKey: (tenant: string): CacheKeyBuilder => TenantCache.scope(tenant).segment('users'),

  /** `row:users:<tenant>:<id>`: carried by every entry holding this user. */
  tag: (tenant: string, id: number): string => rowTag('users', [tenant, id]),

  /** Tags of one cached user: its tenant and its row. */
  entryTags: (tenant: string, id: number): TagSet =>
    TenantCache.tags(tenant).tag(UserCache.tag(tenant, id)),

  /** Tags of a tenant's list: its tenant and the whole table (a user added anywhere shows up). */
  listTags: (tenant: string): TagSet => TenantCache.tags(tenant).tag(tableTag('users')),

  /** Tags a cached list learns from its result: one per user it holds. */
  listResultTags: (users: User[]): string[] =>
    users.map((user) => UserCache.tag(user.tenant, user.id)),
};
