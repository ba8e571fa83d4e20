/**
 * A key for a read: the model, the operation and its arguments in a canonical text (object keys
 * sorted; Dates, bigints and bytes spelled out), so equal queries share an entry.
 */
export function queryKey(prefix: string, model: string, operation: string, args: unknown): string {
  return `${prefix}${model}:${operation}:${canonical(args)}`;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // `this[key]` is the value before toJSON ran (a Date is already a string in `v`).
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}
