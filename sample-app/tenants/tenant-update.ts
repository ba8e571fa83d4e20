import { BadRequestException } from '@nestjs/common';
import type { Tenant, TenantUpdate } from './tenant.js';

const PLANS: readonly Tenant['plan'][] = ['free', 'team', 'enterprise'];

/** Validates the body of `PUT /tenants/:tenant`; throws a 400 naming the bad field. */
export function parseTenantUpdate(body: unknown): TenantUpdate {
  const { name, plan } = (body ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new BadRequestException('name must be a non-empty string');
  }
  if (!PLANS.includes(plan as Tenant['plan'])) {
    throw new BadRequestException(`plan must be one of ${PLANS.join(', ')}`);
  }
  return { name: name.trim(), plan: plan as Tenant['plan'] };
}
