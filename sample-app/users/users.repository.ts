import { Injectable } from '@nestjs/common';
import { FakeDatabase } from '../database/fake-database.js';
import { seedUsers } from '../database/seed.js';
import type { User, UserPatch } from './user.js';

/** Users table of the fake database, keyed by tenant and id. */
@Injectable()
export class UsersRepository {
  readonly #rows = new Map(seedUsers().map((user) => [rowKey(user.tenant, user.id), user]));

  constructor(private readonly db: FakeDatabase) {}

  findById(tenant: string, id: number): Promise<User | undefined> {
    return this.db.query(() => this.#rows.get(rowKey(tenant, id)));
  }

  findByTenant(tenant: string): Promise<User[]> {
    return this.db.query(() => [...this.#rows.values()].filter((user) => user.tenant === tenant));
  }

  update(tenant: string, id: number, patch: UserPatch): Promise<User | undefined> {
    return this.db.query(() => {
      const row = this.#rows.get(rowKey(tenant, id));
      if (row === undefined) return undefined;
      const updated = { ...row, ...patch, updatedAt: new Date() };
      this.#rows.set(rowKey(tenant, id), updated);
      return updated;
    });
  }
}

function rowKey(tenant: string, id: number): string {
  return JSON.stringify([tenant, id]);
}
