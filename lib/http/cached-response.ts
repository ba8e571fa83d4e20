import { createHash } from 'node:crypto';
import { tagList } from '../core/tag-set.js';
import type { RouteTags } from './cache-route.decorator.js';

/** What the interceptor stores per response: the body and what it computed once at store time. */
export interface CachedResponse {
  /** The handler's result, plain data only (see {@link bodyKind}). */
  readonly body: unknown;
  /** Strong validator of the body, e.g. `"3q2-7w..."`, sent as `ETag`. */
  readonly etag: string;
  /** When the entry was stored, in ms since the epoch (for `Age`). */
  readonly storedAt: number;
  /** Tags computed from the body by `resultTags` (for the tag header). */
  readonly resultTags: readonly string[];
}

/** How a handler's result can be cached: `plain` data is, the others never are. */
export type BodyKind = 'plain' | 'class-instance' | 'other';

const MAX_DEPTH = 64;

/**
 * Classifies a handler's result. Only plain data is cached (objects and arrays of primitives,
 * Dates, plain objects and arrays): it encodes and sends the same on a hit as on a miss. A class
 * instance would come back from the cache as a plain object, so a serializer outside this
 * interceptor (`ClassSerializerInterceptor`'s `@Exclude`) could no longer apply to it; streams,
 * buffers and `StreamableFile` are sent, never stored.
 */
export function bodyKind(body: unknown, depth = 0): BodyKind {
  if (body === null || body === undefined) return 'plain';
  const type = typeof body;
  if (type === 'string' || type === 'number' || type === 'boolean') return 'plain';
  if (type !== 'object' || depth > MAX_DEPTH) return 'other';
  if (Array.isArray(body)) {
    for (const item of body) {
      const kind = bodyKind(item, depth + 1);
      if (kind !== 'plain') return kind;
    }
    return 'plain';
  }
  if (body instanceof Date) return 'plain';
  const proto = Object.getPrototypeOf(body);
  if (proto !== Object.prototype && proto !== null) return classOf(body);
  for (const field in body) {
    const kind = bodyKind((body as Record<string, unknown>)[field], depth + 1);
    if (kind !== 'plain') return kind;
  }
  return 'plain';
}

/** A strong ETag for `body`: a hash of the text it is sent as, computed once per stored entry. */
export function entityTag(body: unknown): string {
  const text =
    body === null || body === undefined
      ? ''
      : typeof body === 'string'
        ? body
        : JSON.stringify(body);
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

/** Instances of user classes (DTOs, entities) versus built-ins such as Buffer, Map or a stream. */
function classOf(body: object): BodyKind {
  if (ArrayBuffer.isView(body) || body instanceof Map || body instanceof Set) return 'other';
  if (typeof (body as { pipe?: unknown }).pipe === 'function') return 'other';
  if (typeof (body as { getStream?: unknown }).getStream === 'function') return 'other';
  if (typeof (body as { subscribe?: unknown }).subscribe === 'function') return 'other';
  return 'class-instance';
}

/** The response fields read here; Express's `res` and Fastify's `reply` both have them. */
export interface RouteResponse {
  readonly statusCode: number;
  getHeader(name: string): unknown;
}

/**
 * The entry to store for a handler's result; undefined when the response must not be cached
 * (non-2xx status, a `Set-Cookie`, a stream or buffer), `'class-instance'` when it returned one.
 */
export function responseEntry(
  body: unknown,
  response: RouteResponse,
  resultTags: ((body: unknown) => RouteTags) | undefined,
): CachedResponse | 'class-instance' | undefined {
  const status = response.statusCode;
  if (status < 200 || status > 299 || response.getHeader('set-cookie') !== undefined) {
    return undefined;
  }
  const kind = bodyKind(body);
  if (kind !== 'plain') return kind === 'class-instance' ? kind : undefined;
  return {
    body,
    etag: entityTag(body),
    storedAt: Date.now(),
    resultTags: resultTags === undefined ? [] : tagList(resultTags(body), 'resultTags'),
  };
}
