import { Injectable } from '@nestjs/common';
import { FakeDatabase } from '../database/fake-database.js';
import { seedTenants } from '../database/seed.js';
import type { Tenant, TenantUpdate } from './tenant.js';

/** Tenants table of the fake database. */
@Injectable()
export class TenantsRepository {
  readonly #rows = new Map(seedTenants().map((tenant) => [tenant.id, tenant]));

  constructor(private readonly db: FakeDatabase) {}

  findById(id: string): Promise<Tenant | undefined> {
    return this.db.query(() => this.#rows.get(id));
  }

  update(id: string, update: TenantUpdate): Promise<Tenant | undefined> {
    return this.db.query(() => {
      const row = this.#rows.get(id);
      if (row === undefined) return undefined;
      const updated = { ...row, ...update };
      this.#rows.set(id, updated);
      return updated;
    });
  }
}
