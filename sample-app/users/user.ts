import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user of one tenant (table `users`, primary key `(tenant, id)`): ids are unique within a tenant only. */
@Entity({ name: 'users' })
export class User {
  @PrimaryColumn('text')
  tenant!: string;

  @PrimaryColumn('int')
  id!: number;

  @Column('text')
  name!: string;

  @Column('text')
  email!: string;

  /** A Date: HydraCache's codec keeps Dates as Dates (and this class as this class) on a hit. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The fields `PATCH /tenants/:tenant/users/:id` may change. */
export type UserPatch = Partial<Pick<User, 'name' | 'email'>>;
