import type { Tenant } from '../tenants/tenant.js';
import type { User } from '../users/user.js';

const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'];

/** The tenants the sample app starts with. */
export function seedTenants(): Tenant[] {
  return [
    { id: 'acme', name: 'Acme Corp', plan: 'enterprise' },
    { id: 'globex', name: 'Globex', plan: 'team' },
  ];
}

/** Five users per tenant, ids 1 to 5 (the same ids in every tenant). */
export function seedUsers(): User[] {
  const since = new Date('2026-01-05T09:00:00Z');
  return seedTenants().flatMap((tenant) =>
    NAMES.map((name, i) => ({
      tenant: tenant.id,
      id: i + 1,
      name,
      email: `${name.split(' ')[0].toLowerCase()}@${tenant.id}.example`,
      updatedAt: since,
    })),
  );
}
