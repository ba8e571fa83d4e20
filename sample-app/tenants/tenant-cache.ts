import { CacheKeyBuilder, rowTag, TagSet } from '@hydracache/nestjs';

/**
 * Cache keys and tags scoped to a tenant. Every entry that belongs to a tenant carries the tag
 * `tenant:<id>`, so one invalidation of that tag drops everything cached for the tenant.
 */
export const TenantCache = {
  /** `tenant:<id>`: the key prefix of everything cached for a tenant. */
  scope: (tenant: string): CacheKeyBuilder => new CacheKeyBuilder().tenant(tenant),

  /** `tenant:<id>`: carried by every entry of the tenant. */
  tags: (tenant: string): TagSet => new TagSet().tenant(tenant),

  /** The tenant's own row as well: what the change feed drops when `tenants` changes. */
  rowTags: (tenant: string): TagSet => TenantCache.tags(tenant).tag(rowTag('tenants', tenant)),
};
