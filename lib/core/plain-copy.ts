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

const DATE = 0;
const ARRAY = 1;
const OBJECT = 2;

/**
 * How to copy one non-primitive value. Every plan has the same fields (one hidden class), and
 * fields are listed in parallel arrays walked by index: copying then stays monomorphic and
 * allocation-free apart from the copy itself.
 */
interface ObjectCopyPlan {
  /** DATE, ARRAY or OBJECT. */
  readonly kind: typeof DATE | typeof ARRAY | typeof OBJECT;
  /** OBJECT: the fields holding objects (other fields are copied by the spread). */
  readonly keys: readonly string[];
  /** ARRAY: one plan per element; OBJECT: one plan per entry of `keys`. */
  readonly plans: readonly CopyPlan[];
}

/** How to copy one value: null for a primitive (shared as is). */
export type CopyPlan = null | ObjectCopyPlan;

const NONE: readonly never[] = [];
const DATE_PLAN: ObjectCopyPlan = { kind: DATE, keys: NONE, plans: NONE };

/** A plan for copying `value`, or undefined when it is not plain data this module copies exactly. */
export function planCopy(value: unknown, depth = 0): CopyPlan | undefined {
  if (typeof value !== 'object' || value === null)
    return typeof value === 'function' ? undefined : null;
  if (depth > MAX_DEPTH) return undefined;
  const proto = Object.getPrototypeOf(value);
  if (proto === Date.prototype) return DATE_PLAN;
  if (proto === Array.prototype) {
    const array = value as unknown[];
    const plans: CopyPlan[] = [];
    for (let i = 0; i < array.length; i++) {
      if (!(i in array)) return undefined;
      const plan = planCopy(array[i], depth + 1);
      if (plan === undefined) return undefined;
      plans.push(plan);
    }
    return { kind: ARRAY, keys: NONE, plans };
  }
  if (proto !== Object.prototype) return undefined;
  const keys: string[] = [];
  const plans: CopyPlan[] = [];
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return undefined;
    const plan = planCopy((value as Record<string, unknown>)[key], depth + 1);
    if (plan === undefined) return undefined;
    if (plan !== null) {
      keys.push(key);
      plans.push(plan);
    }
  }
  return { kind: OBJECT, keys, plans };
}

/** A deep copy of `value` following `plan`, which {@link planCopy} made from this same value. */
export function copyByPlan(plan: CopyPlan, value: unknown): unknown {
  if (plan === null) return value;
  const plans = plan.plans;
  switch (plan.kind) {
    case DATE:
      return new Date((value as Date).getTime());
    case ARRAY: {
      const source = value as unknown[];
      const copy = new Array<unknown>(plans.length);
      for (let i = 0; i < plans.length; i++) copy[i] = copyByPlan(plans[i]!, source[i]);
      return copy;
    }
    case OBJECT: {
      const source = value as Record<string, unknown>;
      const copy: Record<string, unknown> = { ...source };
      const keys = plan.keys;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        copy[key] = copyByPlan(plans[i]!, source[key]);
      }
      return copy;
    }
  }
}
