import { Observable, of } from 'rxjs';
import type { RouteRequest } from './cache-route.decorator.js';
import type { CachedResponse, StoredBytes } from './cached-response.js';
import { markNotModified, noneMatch, tagAtSend } from './conditional-request.js';

/**
 * What the interceptor returns after writing the response itself: an Observable that never
 * emits, so Nest has nothing to send (it would otherwise serialize a value and send it again).
 * It holds nothing, so the request's pending chain is collected with the request.
 */
export const ALREADY_SENT: Observable<never> = new Observable<never>(() => undefined);

/** The part of Node's `ServerResponse` (Express's `res`) written to. */
interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string | number): unknown;
  removeHeader(name: string): unknown;
  end(body?: string): unknown;
}

/** The part of Fastify's reply written to. */
interface FastifyReplyLike {
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
  send(body?: string): unknown;
}

/**
 * Sends a stored body as its bytes, with its content type: through Fastify's `reply.send` (so its
 * `onSend` hooks, compression included, still run) or Node's `res.end` under Express (skipping
 * only Express's `send`, whose work, ETag and freshness, is done here). `notModified` sends an
 * empty 304 instead. Headers set before (the cache's, `@Header()`'s) and the route's status stay.
 */
export function sendStored(
  fastify: boolean,
  response: object,
  entry: StoredBytes,
  notModified: boolean,
  head: boolean,
): void {
  if (fastify) {
    const reply = response as FastifyReplyLike;
    if (notModified) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.send();
      return;
    }
    reply.header('content-type', entry.contentType);
    reply.send(entry.text);
    return;
  }
  const res = response as NodeResponseLike;
  if (notModified) {
    res.statusCode = 304;
    res.removeHeader('content-type');
    res.end();
    return;
  }
  res.setHeader('Content-Type', entry.contentType);
  res.setHeader('Content-Length', entry.length);
  res.end(head ? undefined : entry.text);
}

/** How {@link replyWith} answers: the platform, the route's position, this request's own result. */
export interface ReplyMode {
  readonly fastify: boolean;
  /** No interceptor runs outside this one on the route (see docs/http.md). */
  readonly outermost: boolean;
  /** The body this request's handler returned, to send instead of the entry's (a fresh miss). */
  readonly own: { readonly body: unknown } | undefined;
}

/**
 * Answers a request from `entry` (headers already written): the stored bytes written directly
 * when outermost, otherwise the body handed on to the interceptors outside; an empty 304 when
 * `If-None-Match` names the entry's ETag. Returns what the interceptor returns to Nest.
 */
export function replyWith(
  entry: CachedResponse,
  mode: ReplyMode,
  request: RouteRequest,
  response: object,
): Observable<unknown> {
  const notModified =
    entry.etag !== null && noneMatch(request.headers['if-none-match'], entry.etag);
  if (entry.kind === 'bytes' && mode.outermost) {
    sendStored(mode.fastify, response, entry, notModified, request.method === 'HEAD');
    return ALREADY_SENT;
  }
  if (notModified) {
    // Express answers 304 itself when the ETag just set matches (req.fresh); Fastify by the hook.
    if (mode.fastify) markNotModified(request);
    return of(undefined);
  }
  if (entry.kind === 'bytes') return of(JSON.parse(entry.text)); // a trackBy shared across routes
  if (entry.etag === null) tagAtSend(mode.fastify, request, response);
  return of(mode.own === undefined ? entry.body : mode.own.body);
}
