import { entityTag } from './cached-response.js';

/** Set on a Fastify request the interceptor answers with 304 (see {@link answerNotModifiedOnFastify}). */
const NOT_MODIFIED = Symbol.for('hydracache:not-modified');
/** Set on a Fastify request whose ETag is computed from the bytes sent. */
const TAG_AT_SEND = Symbol.for('hydracache:etag-at-send');
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

/** The request fields the send-time ETag reads. */
interface RequestLike {
  readonly headers: Record<string, string | string[] | undefined>;
}

/** The part of an Express response {@link tagAtSendOnExpress} wraps. */
interface ExpressResponseLike {
  send(body?: unknown): unknown;
  setHeader(name: string, value: string): unknown;
  statusCode: number;
}

/**
 * For a body an interceptor outside this one may still change: the ETag is a hash of the bytes
 * actually sent, set as they are sent, and a matching `If-None-Match` gets a 304 there. On Fastify
 * the `onSend` hook does it; on Express this response's `send` (which `json` ends in) is wrapped,
 * and Express answers 304 itself once the ETag is set (`req.fresh`).
 */
export function tagAtSend(fastify: boolean, request: object, response: object): void {
  if (fastify) {
    (request as Record<symbol, boolean>)[TAG_AT_SEND] = true;
    return;
  }
  const res = response as ExpressResponseLike;
  const send = res.send;
  res.send = function (this: ExpressResponseLike, body?: unknown) {
    if (isOk(this.statusCode) && (typeof body === 'string' || body instanceof Uint8Array)) {
      this.setHeader('ETag', entityTag(body));
    }
    return send.call(this, body);
  };
}

/** The part of a Fastify reply the hook uses. */
interface FastifyReplyLike {
  readonly statusCode: number;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

/** The part of a Fastify instance the hook needs. */
interface FastifyLike {
  addHook(
    name: 'onSend',
    hook: (request: RequestLike, reply: FastifyReplyLike, payload: unknown) => unknown,
  ): unknown;
}

/**
 * Adds, once per Fastify instance, the `onSend` hook that turns a marked request's reply into an
 * empty 304, and sets the ETag of replies tagged at send time. Needed on Fastify only: Nest sets
 * the route's status (200) just before sending, and Express already answers 304 itself when the
 * `ETag` set here matches (`req.fresh`).
 */
export function answerNotModifiedOnFastify(instance: FastifyLike): void {
  const flags = instance as unknown as Record<symbol, boolean>;
  if (flags[HOOKED]) return;
  instance.addHook('onSend', async (request, reply, payload) => {
    const marks = request as unknown as Record<symbol, boolean>;
    if (marks[TAG_AT_SEND] === true && isOk(reply.statusCode)) {
      if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return payload;
      const etag = entityTag(payload);
      reply.header('etag', etag);
      if (!noneMatch(request.headers['if-none-match'], etag)) return payload;
    } else if (marks[NOT_MODIFIED] !== true) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  });
  flags[HOOKED] = true;
}

function isOk(status: number): boolean {
  return status >= 200 && status <= 299;
}
