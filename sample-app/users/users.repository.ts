import { Injectable } from '@nestjs/common';
import { FakeDatabase } from '../database/fake-database.js';
import { seedUsers } from '../database/seed.js';
import type { Table } from '../database/table.js';
import { Tables } from '../database/tables.js';
import type { User, UserPatch } from './user.js';

/** Users table of the fake database, keyed by tenant and id. */
@Injectable()
export class UsersRepository {
  readonly #rows: Table<User>;

  constructor(
    private readonly db: FakeDatabase,
    tables: Tables,
  ) {
    this.#rows = tables.open<User>({
      name: 'users',
      seed: seedUsers,
      idOf: (user) => rowKey(user.tenant, user.id),
      revive: (user) => ({ ...user, updatedAt: new Date(user.updatedAt) }),
    });
  }

  findById(tenant: string, id: number): Promise<User | undefined> {
    return this.db.query(() => this.#rows.get(rowKey(tenant, id)));
  }

  findByTenant(tenant: string): Promise<User[]> {
    return this.db.query(async () =>
      (await this.#rows.values())
        .filter((user) => user.tenant === tenant)
        .sort((a, b) => a.id - b.id),
    );
  }

  update(tenant: string, id: number, patch: UserPatch): Promise<User | undefined> {
    return this.db.query(async () => {
      const row = await this.#rows.get(rowKey(tenant, id));
      if (row === undefined) return undefined;
      const updated = { ...row, ...patch, updatedAt: new Date() };
      await this.#rows.set(rowKey(tenant, id), updated);
      return updated;
    });
  }
}

function rowKey(tenant: string, id: number): string {
  return JSON.stringify([tenant, id]);
}
