import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { QueryGate } from '../database/query-gate.js';
import { Tenant, type TenantUpdate } from './tenant.js';

/** The `tenants` table through TypeORM; every call is one counted trip through the {@link QueryGate}. */
@Injectable()
export class TenantsRepository {
  constructor(
    private readonly gate: QueryGate,
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
  ) {}

  findById(id: string): Promise<Tenant | null> {
    return this.gate.query(() => this.tenants.findOneBy({ id }));
  }

  /** Replaces the tenant's name and plan; null when there is no such tenant. */
  update(id: string, update: TenantUpdate): Promise<Tenant | null> {
    return this.gate.query(async () => {
      const result = await this.tenants.update({ id }, update);
      return result.affected === 0 ? null : this.tenants.findOneBy({ id });
    });
  }
}
