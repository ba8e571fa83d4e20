import { Injectable, NotFoundException } from '@nestjs/common';
import { HydraCache, InvalidateTags, TypedCache } from '@hydracache/nestjs';
import type { Tenant, TenantUpdate } from './tenant.js';
import { TenantCache } from './tenant-cache.js';
import { TenantsRepository } from './tenants.repository.js';

/**
 * Tenant lookups through a {@link TypedCache}: the programmatic API, for code that prefers an
 * explicit `getOrLoad` to a decorator. Its keys live under the `tenants:` namespace.
 */
@Injectable()
export class TenantsService {
  readonly #tenants: TypedCache<Tenant>;

  constructor(
    cache: HydraCache,
    private readonly repository: TenantsRepository,
  ) {
    this.#tenants = cache.typed<Tenant>('tenants');
  }

  /** The tenant, cached under `tenants:tenant:<id>`; a 404 (not cached) when unknown. */
  findOne(id: string): Promise<Tenant> {
    const key = TenantCache.scope(id).build();
    return this.#tenants.getOrLoad(key, { tags: TenantCache.rowTags(id) }, async () => {
      const tenant = await this.repository.findById(id);
      if (tenant === null) throw new NotFoundException(`No tenant "${id}"`);
      return tenant;
    });
  }

  /** Replaces the tenant's name and plan, then drops everything cached for the tenant. */
  @InvalidateTags((id: string) => TenantCache.tags(id))
  async update(id: string, update: TenantUpdate): Promise<Tenant> {
    const tenant = await this.repository.update(id, update);
    if (tenant === null) throw new NotFoundException(`No tenant "${id}"`);
    return tenant;
  }
}
