import { BadRequestException } from '@nestjs/common';

/** Every fault the query gate can simulate. */
export const DB_FAULTS = ['none', 'fail', 'stall'] as const;

/**
 * How the database misbehaves (simulated by the query gate): `none` answers normally, `fail` rejects every query at once
 * (503), `stall` holds every query unanswered until the fault is switched back off.
 */
export type DbFault = (typeof DB_FAULTS)[number];

/** True when `value` names a {@link DbFault}. */
export function isDbFault(value: unknown): value is DbFault {
  return typeof value === 'string' && (DB_FAULTS as readonly string[]).includes(value);
}

/** Validates the body of `PUT /admin/database` (`{ "fault": "fail" }`); throws a 400 naming the problem. */
export function parseDbFaultBody(body: unknown): DbFault {
  const fields = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(fields).find((field) => field !== 'fault');
  if (unknown !== undefined) {
    throw new BadRequestException(`Unknown field "${unknown}": expected only fault`);
  }
  if (!isDbFault(fields.fault)) {
    throw new BadRequestException(
      `fault must be one of ${DB_FAULTS.join(', ')}, got ${JSON.stringify(fields.fault ?? null)}`,
    );
  }
  return fields.fault;
}
