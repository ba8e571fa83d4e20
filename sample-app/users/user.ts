/** A user of one tenant. Ids are unique within a tenant only. */
export interface User {
  tenant: string;
  id: number;
  name: string;
  email: string;
  /** A Date: HydraCache's codec keeps Dates as Dates on a hit. */
  updatedAt: Date;
}

/** The fields `PATCH /tenants/:tenant/users/:id` may change. */
export type UserPatch = Partial<Pick<User, 'name' | 'email'>>;
