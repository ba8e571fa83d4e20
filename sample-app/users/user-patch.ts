import { BadRequestException } from '@nestjs/common';
import type { UserPatch } from './user.js';

/** Validates the body of `PATCH /tenants/:tenant/users/:id`; throws a 400 naming the bad field. */
export function parseUserPatch(body: unknown): UserPatch {
  const patch: UserPatch = {};
  for (const [field, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (field !== 'name' && field !== 'email') {
      throw new BadRequestException(`Unknown field "${field}": expected name or email`);
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new BadRequestException(`${field} must be a non-empty string`);
    }
    patch[field] = value.trim();
  }
  if (Object.keys(patch).length === 0) {
    throw new BadRequestException('Nothing to update: send name and/or email');
  }
  return patch;
}
