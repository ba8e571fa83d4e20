/** Bounds and meaning of one integer environment variable. */
export interface IntegerVariable {
  /** Used when the variable is unset or empty. */
  readonly default: number;
  readonly min: number;
  readonly max?: number;
  /** Shown in the error message, e.g. "milliseconds". */
  readonly unit: string;
}

/**
 * Reads an integer environment variable, or its default when unset. Returns an error message
 * (instead of throwing) so that every bad variable can be reported at once.
 */
export function readInteger(
  env: NodeJS.ProcessEnv,
  name: string,
  spec: IntegerVariable,
): number | string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return spec.default;
  const value = Number(raw);
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < spec.min || value > max) {
    const range = spec.max === undefined ? `>= ${spec.min}` : `${spec.min}..${spec.max}`;
    return `${name} must be an integer ${range} (${spec.unit}), got ${JSON.stringify(raw)}`;
  }
  return value;
}

/** The shape one text environment variable must have. */
export interface TextVariable {
  readonly pattern: RegExp;
  /** Shown in the error message, e.g. "a redis:// URL". */
  readonly expected: string;
}

/**
 * Reads an optional text environment variable: undefined when unset or empty, `{ value }` when it
 * matches, or an error message (like {@link readInteger}) when it does not.
 */
export function readText(
  env: NodeJS.ProcessEnv,
  name: string,
  spec: TextVariable,
): { value: string } | string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!spec.pattern.test(raw))
    return `${name} must be ${spec.expected}, got ${JSON.stringify(raw)}`;
  return { value: raw };
}
