import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { QueryGate } from '../database/query-gate.js';
import { User, type UserPatch } from './user.js';

/** The `users` table through TypeORM; every call is one counted trip through the {@link QueryGate}. */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly gate: QueryGate,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  findById(tenant: string, id: number): Promise<User | null> {
    return this.gate.query(() => this.users.findOneBy({ tenant, id }));
  }

  findByTenant(tenant: string): Promise<User[]> {
    return this.gate.query(() => this.users.find({ where: { tenant }, order: { id: 'ASC' } }));
  }

  /**
   * How many users the tenant has, through TypeORM's own query cache (`cache: 60_000`), which the
   * app backs with HydraCache: tagged `table:users` from the SQL, dropped by any write to `users`.
   * Not counted by the query gate: a cached count never reaches the database.
   */
  countByTenant(tenant: string): Promise<number> {
    return this.users.count({ where: { tenant }, cache: 60_000 });
  }

  /** Applies `patch` and stamps `updatedAt`; null when there is no such user. */
  update(tenant: string, id: number, patch: UserPatch): Promise<User | null> {
    return this.gate.query(async () => {
      const result = await this.users.update({ tenant, id }, { ...patch, updatedAt: new Date() });
      return result.affected === 0 ? null : this.users.findOneBy({ tenant, id });
    });
  }
}
