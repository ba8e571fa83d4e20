import { Injectable } from '@nestjs/common';
import { FakeDatabase } from '../database/fake-database.js';
import { seedTenants } from '../database/seed.js';
import type { Table } from '../database/table.js';
import { Tables } from '../database/tables.js';
import type { Tenant, TenantUpdate } from './tenant.js';

/** Tenants table of the fake database. */
@Injectable()
export class TenantsRepository {
  readonly #rows: Table<Tenant>;

  constructor(
    private readonly db: FakeDatabase,
    tables: Tables,
  ) {
    this.#rows = tables.open<Tenant>({
      name: 'tenants',
      seed: seedTenants,
      idOf: (tenant) => tenant.id,
    });
  }

  findById(id: string): Promise<Tenant | undefined> {
    return this.db.query(() => this.#rows.get(id));
  }

  update(id: string, update: TenantUpdate): Promise<Tenant | undefined> {
    return this.db.query(async () => {
      const row = await this.#rows.get(id);
      if (row === undefined) return undefined;
      const updated = { ...row, ...update };
      await this.#rows.set(id, updated);
      return updated;
    });
  }
}
