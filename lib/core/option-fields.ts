import { CacheErrors } from './cache.errors.js';

/** Validates one option value (never undefined) and returns it in the shape the runtime uses. */
export type FieldCheck<V> = (value: unknown, field: string) => V;

/** One check per field of an options record: the single place an option is declared. */
export type FieldTable<R> = { readonly [K in keyof R]-?: FieldCheck<Exclude<R[K], undefined>> };

/**
 * Reads an options object through its field table: `value` must be a plain object whose own
 * fields are all in the table, and each field given is checked by its entry. Fields left out (or
 * undefined) stay undefined; the caller fills in defaults. A misspelt field (`tag` for `tags`) or an
 * options value of another shape (an array, a Date, a Map) would otherwise be ignored silently and,
 * for tags, leave entries that no invalidation reaches: both get `E_INVALID_OPTION` instead.
 */
export function readOptions<R>(value: unknown, what: string, table: FieldTable<R>): Partial<R> {
  const known = Object.keys(table);
  const input = checkOptionFields<Record<string, unknown>>(value, what, known);
  const out: Record<string, unknown> = {};
  for (const field of known) {
    const given = input[field];
    out[field] =
      given === undefined
        ? undefined
        : (table as Record<string, FieldCheck<unknown>>)[field]!(given, field);
  }
  return out as Partial<R>;
}

/**
 * Checks that `value` is a plain object (`{...}` or `Object.create(null)`) whose own fields are all
 * in `known`, and returns it; otherwise throws `E_INVALID_OPTION` naming what was wrong.
 */
export function checkOptionFields<T extends object>(
  value: unknown,
  what: string,
  known: readonly string[],
): T {
  if (value === null || typeof value !== 'object' || !isPlainObject(value)) {
    throw CacheErrors.invalidOption(what, 'a plain object', value);
  }
  for (const field of Reflect.ownKeys(value)) {
    if (typeof field !== 'string' || !known.includes(field)) {
      throw CacheErrors.unknownOption(String(field), known, what);
    }
  }
  return value as T;
}

/** True for `{...}` and `Object.create(null)`, false for arrays, class instances and the like. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
