/** A customer organisation; every user belongs to one. */
export interface Tenant {
  id: string;
  name: string;
  plan: 'free' | 'team' | 'enterprise';
}

/** The fields `PUT /tenants/:tenant` replaces. */
export type TenantUpdate = Omit<Tenant, 'id'>;
