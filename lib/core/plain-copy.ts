/**
 * Copies of decoded values for the callers that share one load. Cloning a private decoded
 * template is faster than decoding again and shares the (immutable) strings, which matters when
 * thousands of callers join one load. Only plain data is cloned (plain objects, arrays, Dates and
 * primitives: what CBOR decodes most values into); anything else is decoded per caller as before.
 *
 * The template is examined once, into a plan that lists only the parts that need copying (nested
 * objects, arrays and Dates); each copy then spreads an object and replaces just those fields,
 * instead of testing every field of every copy again.
 */

const MAX_DEPTH = 64;

/** How to copy one value: null for a primitive (shared as is). */
export type CopyPlan = null | DatePlan | ArrayPlan | ObjectPlan;

interface DatePlan {
  readonly kind: 'date';
}
interface ArrayPlan {
  readonly kind: 'array';
  /** One plan per element. */
  readonly items: readonly CopyPlan[];
}
interface ObjectPlan {
  readonly kind: 'object';
  /** The fields holding objects, with their plans; other fields are copied by the spread. */
  readonly nested: readonly (readonly [string, Exclude<CopyPlan, null>])[];
}

const DATE: DatePlan = { kind: 'date' };

/** A plan for copying `value`, or undefined when it is not plain data this module copies exactly. */
export function planCopy(value: unknown, depth = 0): CopyPlan | undefined {
  if (typeof value !== 'object' || value === null)
    return typeof value === 'function' ? undefined : null;
  if (depth > MAX_DEPTH) return undefined;
  const proto = Object.getPrototypeOf(value);
  if (proto === Date.prototype) return DATE;
  if (proto === Array.prototype) {
    const array = value as unknown[];
    const items: CopyPlan[] = [];
    for (let i = 0; i < array.length; i++) {
      if (!(i in array)) return undefined;
      const plan = planCopy(array[i], depth + 1);
      if (plan === undefined) return undefined;
      items.push(plan);
    }
    return { kind: 'array', items };
  }
  if (proto !== Object.prototype) return undefined;
  const nested: [string, Exclude<CopyPlan, null>][] = [];
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return undefined;
    const plan = planCopy((value as Record<string, unknown>)[key], depth + 1);
    if (plan === undefined) return undefined;
    if (plan !== null) nested.push([key, plan]);
  }
  return { kind: 'object', nested };
}

/** A deep copy of `value` following `plan`, which {@link planCopy} made from this same value. */
export function copyByPlan(plan: CopyPlan, value: unknown): unknown {
  if (plan === null) return value;
  switch (plan.kind) {
    case 'date':
      return new Date((value as Date).getTime());
    case 'array': {
      const source = value as unknown[];
      const items = plan.items;
      const copy = new Array<unknown>(items.length);
      for (let i = 0; i < items.length; i++) copy[i] = copyByPlan(items[i]!, source[i]);
      return copy;
    }
    case 'object': {
      const source = value as Record<string, unknown>;
      const copy: Record<string, unknown> = { ...source };
      for (const [key, field] of plan.nested) copy[key] = copyByPlan(field, source[key]);
      return copy;
    }
  }
}
