/**
 * Copies of decoded values for the callers that share one load. Cloning a private decoded
 * template is about twice as fast as decoding again and shares the (immutable) strings, which
 * matters when thousands of callers join one load. Only plain data is cloned (plain objects,
 * arrays, Dates and primitives: what CBOR decodes most values into); anything else is decoded
 * per caller as before.
 */

const MAX_DEPTH = 64;

/** True when `value` is plain data that {@link clonePlain} copies exactly. */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function';
  if (depth > MAX_DEPTH) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === Date.prototype) return true;
  if (proto === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) {
      if (!(i in array) || !isPlainData(array[i], depth + 1)) return false;
    }
    return true;
  }
  if (proto !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || !isPlainData((value as Record<string, unknown>)[key], depth + 1)) {
      return false;
    }
  }
  return true;
}

/** A deep copy of a value for which {@link isPlainData} holds. */
export function clonePlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = clonePlain(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const field = copy[key];
    if (typeof field === 'object' && field !== null) copy[key] = clonePlain(field);
  }
  return copy;
}
