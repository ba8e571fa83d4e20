import { createHash } from 'node:crypto';
import { tagList } from '../core/tag-set.js';
import type { RouteTags } from './cache-route.decorator.js';

/**
 * A response stored as the bytes sent: the JSON text and its content type. Only for routes where
 * this interceptor runs outermost, so nothing changes the body after it; a hit writes the text
 * as is (no decode of the body, no JSON serialization).
 */
export interface StoredBytes {
  readonly kind: 'bytes';
  /** The body as sent. */
  readonly text: string;
  /** Its length in bytes (UTF-8), for `Content-Length`. */
  readonly length: number;
  /** Its `Content-Type`. */
  readonly contentType: string;
  /** Strong validator of `text`, sent as `ETag`. */
  readonly etag: string;
  /** When the entry was stored, in ms since the epoch (for `Age`). */
  readonly storedAt: number;
  /** Tags computed from the body by `resultTags` (for the tag header). */
  readonly resultTags: readonly string[];
}

/**
 * A response stored as the handler's result: where an interceptor outside this one (a
 * serializer) still turns it into the body, and for primitive bodies. Class instances keep their
 * class through the cache's codec, so an outer `ClassSerializerInterceptor` applies on a hit.
 */
export interface StoredValue {
  readonly kind: 'value';
  /** The handler's result. */
  readonly body: unknown;
  /** Validator of the body as sent, or null when it is computed from the bytes at send time. */
  readonly etag: string | null;
  /** True when the body holds class instances (a hit checks they came back as such). */
  readonly instances: boolean;
  /** When the entry was stored, in ms since the epoch (for `Age`). */
  readonly storedAt: number;
  /** Tags computed from the body by `resultTags` (for the tag header). */
  readonly resultTags: readonly string[];
}

/** What the interceptor stores per response. */
export type CachedResponse = StoredBytes | StoredValue;

/** How a handler's result can be cached: `other` (streams, buffers, files) never is. */
export type BodyKind = 'plain' | 'class-instance' | 'other';

const MAX_DEPTH = 64;

/** `Content-Type` of a stored JSON body when the route set none (what Express and Fastify send). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Classifies a handler's result: plain data (primitives, Dates, plain objects, dictionaries
 * without a prototype chain such as Fastify's `req.query`), class instances (DTOs, entities), or
 * something never stored (streams, buffers, `StreamableFile`, Maps, Sets).
 */
export function bodyKind(body: unknown, depth = 0): BodyKind {
  if (body === null || body === undefined) return 'plain';
  const type = typeof body;
  if (type === 'string' || type === 'number' || type === 'boolean') return 'plain';
  if (type !== 'object' || depth > MAX_DEPTH) return 'other';
  if (body instanceof Date) return 'plain';
  let kind: BodyKind = 'plain';
  if (Array.isArray(body)) {
    for (const item of body) {
      const inner = bodyKind(item, depth + 1);
      if (inner === 'other') return inner;
      if (inner === 'class-instance') kind = inner;
    }
    return kind;
  }
  if (!isDictionary(body)) {
    kind = classOf(body);
    if (kind === 'other') return kind;
  }
  for (const field in body) {
    const inner = bodyKind((body as Record<string, unknown>)[field], depth + 1);
    if (inner === 'other') return inner;
    if (inner === 'class-instance') kind = inner;
  }
  return kind;
}

/**
 * True when `body` holds a class instance; stops at the first one found (a hit checks that a
 * stored entity came back as one, so this must not walk a whole list of them).
 */
export function holdsInstance(body: unknown, depth = 0): boolean {
  if (typeof body !== 'object' || body === null || depth > MAX_DEPTH) return false;
  if (body instanceof Date) return false;
  if (!Array.isArray(body) && !isDictionary(body)) return true;
  for (const field in body) {
    if (holdsInstance((body as Record<string, unknown>)[field], depth + 1)) return true;
  }
  return false;
}

/**
 * True for `{...}` and for objects whose prototype chain has no constructor at all:
 * `Object.create(null)`, and Fastify's query objects (`Object.create(Empty.prototype)` where
 * `Empty.prototype` has a null prototype). Neither is a class instance.
 */
function isDictionary(body: object): boolean {
  for (
    let proto = Object.getPrototypeOf(body);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto === Object.prototype) return Object.getPrototypeOf(body) === Object.prototype;
    if (Object.prototype.hasOwnProperty.call(proto, 'constructor')) return false;
  }
  return true;
}

/** A strong ETag for the bytes `text` is sent as; computed once per stored entry. */
export function entityTag(text: string | Uint8Array): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

/** The ETag of a primitive body as both platforms send it (its text; nothing for null). */
export function primitiveTag(body: unknown): string {
  return entityTag(body === null || body === undefined ? '' : String(body));
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

/** How the route's responses are stored: as bytes (outermost interceptor) or as values. */
export interface EntryShape {
  readonly outermost: boolean;
  readonly resultTags?: (body: unknown) => RouteTags;
}

/**
 * The entry to store for a handler's result; undefined when the response must not be cached
 * (non-2xx status, a `Set-Cookie`, a stream, buffer or file).
 */
export function responseEntry(
  body: unknown,
  response: RouteResponse,
  shape: EntryShape,
): CachedResponse | undefined {
  const status = response.statusCode;
  if (status < 200 || status > 299 || response.getHeader('set-cookie') !== undefined) {
    return undefined;
  }
  const kind = bodyKind(body);
  if (kind === 'other') return undefined;
  const storedAt = Date.now();
  const resultTags =
    shape.resultTags === undefined ? [] : tagList(shape.resultTags(body), 'resultTags');
  const text = shape.outermost && typeof body === 'object' ? jsonText(body) : undefined;
  if (text !== undefined) {
    const given = response.getHeader('content-type');
    const contentType = typeof given === 'string' ? given : JSON_CONTENT_TYPE;
    const length = Buffer.byteLength(text);
    return {
      kind: 'bytes',
      text,
      length,
      contentType,
      etag: entityTag(text),
      storedAt,
      resultTags,
    };
  }
  // Outermost, a primitive is sent as its text; otherwise the bytes are known only once sent.
  const etag = shape.outermost ? primitiveTag(body) : null;
  return { kind: 'value', body, etag, instances: kind === 'class-instance', storedAt, resultTags };
}

/** The JSON Nest would send for an object body (both platforms use JSON.stringify). */
function jsonText(body: object | null): string | undefined {
  if (body === null) return undefined;
  const text = JSON.stringify(body) as string | undefined;
  return text;
}
