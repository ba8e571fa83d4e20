import { Observable } from 'rxjs';
import type { StoredBytes } from './cached-response.js';

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
