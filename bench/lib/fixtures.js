/** Shared fixtures: the ~100-byte user value every workload caches, and its checks. */

const EPOCH = Date.UTC(2024, 0, 1);

/**
 * The cached value: a ~100-byte user object (JSON size) with a Date.
 * @param {number} id
 * @returns {{ id: number, name: string, email: string, active: boolean, createdAt: Date }}
 */
export function makeUser(id) {
  return {
    id,
    name: `User ${id}`,
    email: `user${id}@example.com`,
    active: true,
    createdAt: new Date(EPOCH + id * 1000),
  };
}

/** The numeric id inside a key such as `user:42` or `r3:user:42`. */
export function idOf(key) {
  return Number(key.slice(key.lastIndexOf(':') + 1));
}

/**
 * Cheap per-answer check (run on every operation of every system): the right user came back.
 * @param {any} value
 * @param {number} id
 */
export function checkId(value, id) {
  if (value === undefined || value === null || value.id !== id) {
    throw new Error(`wrong answer: expected user ${id}, got ${JSON.stringify(value)}`);
  }
}

/**
 * Full check of one answer against the expected user. A Date may come back as a Date or, from
 * systems that store JSON, as its ISO string; both are accepted but reported (see `dateKind`).
 * @param {any} value
 * @param {number} id
 */
export function checkUser(value, id) {
  checkId(value, id);
  const want = makeUser(id);
  const at = value.createdAt;
  const time = at instanceof Date ? at.getTime() : Date.parse(at);
  const same =
    value.name === want.name &&
    value.email === want.email &&
    value.active === want.active &&
    time === want.createdAt.getTime() &&
    Object.keys(value).length === Object.keys(want).length;
  if (!same) throw new Error(`wrong answer for user ${id}: ${JSON.stringify(value)}`);
}

/** How a system hands back the Date: `Date` or `string` (JSON round trip). */
export function dateKind(value) {
  return value.createdAt instanceof Date ? 'Date' : typeof value.createdAt;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `count` keys `prefix0 .. prefix(count-1)`. */
export function keys(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}
