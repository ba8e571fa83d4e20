/** Set on a Fastify request the interceptor answers with 304 (see {@link answerNotModifiedOnFastify}). */
const NOT_MODIFIED = Symbol.for('hydracache:not-modified');
/** Set on a Fastify instance once its hook is added, so each instance gets one hook. */
const HOOKED = Symbol.for('hydracache:not-modified-hook');

/**
 * True when `If-None-Match` names `etag` (or is `*`). Uses the weak comparison RFC 9110 §13.1.2
 * prescribes for this header, so a `W/` prefix added by a proxy still matches.
 */
export function noneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '*') return true;
  for (const part of text.split(',')) {
    const tag = part.trim();
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

/** Marks a Fastify request to be answered with an empty 304 by the hook below. */
export function markNotModified(request: object): void {
  (request as Record<symbol, boolean>)[NOT_MODIFIED] = true;
}

/** The part of a Fastify reply the hook uses. */
interface FastifyReplyLike {
  code(status: number): unknown;
  removeHeader(name: string): unknown;
}

/** The part of a Fastify instance the hook needs. */
interface FastifyLike {
  addHook(
    name: 'onSend',
    hook: (request: object, reply: FastifyReplyLike, payload: unknown) => unknown,
  ): unknown;
}

/**
 * Adds, once per Fastify instance, the `onSend` hook that turns a marked request's reply into an
 * empty 304. Needed on Fastify only: Nest sets the route's status (200) just before sending, and
 * Express already answers 304 itself when the `ETag` set here matches (`req.fresh`).
 */
export function answerNotModifiedOnFastify(instance: FastifyLike): void {
  const flags = instance as unknown as Record<symbol, boolean>;
  if (flags[HOOKED]) return;
  instance.addHook('onSend', async (request, reply, payload) => {
    if ((request as Record<symbol, boolean>)[NOT_MODIFIED] !== true) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    return null;
  });
  flags[HOOKED] = true;
}
