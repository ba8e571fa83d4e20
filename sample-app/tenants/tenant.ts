import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The plans a tenant can be on. */
export type Plan = 'free' | 'team' | 'enterprise';

/** A customer organisation (table `tenants`); every user belongs to one. */
@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  plan!: Plan;
}

/** The fields `PUT /tenants/:tenant` replaces. */
export type TenantUpdate = Pick<Tenant, 'name' | 'plan'>;
