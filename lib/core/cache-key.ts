import { CacheErrors } from './cache.errors.js';

/** A value that can be one segment of a key or tag: printed with `String()`, then escaped. */
export type KeySegment = string | number | bigint | boolean;

/** An already-built cache key; cache methods accept it wherever they accept a string. */
export class CacheKey {
  constructor(
    /** The key text, segments joined with `:`. */
    readonly value: string,
  ) {}

  /** The key text. */
  toString(): string {
    return this.value;
  }
}

/**
 * Escapes one key segment: `%` becomes `%25` and `:` becomes `%3A`, so that segments containing
 * the separator can never collide with a different split of the same text.
 */
export function escapeSegment(segment: KeySegment): string {
  const text = segmentText(segment);
  if (!text.includes('%') && !text.includes(':')) return text;
  return text.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/** Builds escaped, `:`-separated keys from segments. Immutable: every call returns a new builder. */
export class CacheKeyBuilder {
  readonly #segments: readonly string[];

  constructor(segments: readonly string[] = []) {
    this.#segments = segments;
  }

  /** A builder holding one segment. */
  static fromSegment(segment: KeySegment): CacheKeyBuilder {
    return new CacheKeyBuilder().segment(segment);
  }

  /** Appends one escaped segment. */
  segment(segment: KeySegment): CacheKeyBuilder {
    return new CacheKeyBuilder([...this.#segments, escapeSegment(segment)]);
  }

  /** Appends each value of `segments` as its own escaped segment. */
  segments(segments: Iterable<KeySegment>): CacheKeyBuilder {
    const added = Array.from(segments, escapeSegment);
    return new CacheKeyBuilder([...this.#segments, ...added]);
  }

  /** Appends `kind` and `id` as two segments: `user:42`. */
  entity(kind: KeySegment, id: KeySegment): CacheKeyBuilder {
    return this.segment(kind).segment(id);
  }

  /** Appends `tenant` and `id` as two segments: `tenant:7`. */
  tenant(id: KeySegment): CacheKeyBuilder {
    return this.entity('tenant', id);
  }

  /** True when no segment has been added. */
  isEmpty(): boolean {
    return this.#segments.length === 0;
  }

  /** The key as a {@link CacheKey}. */
  build(): CacheKey {
    return new CacheKey(this.buildString());
  }

  /** The key as a string. */
  buildString(): string {
    return this.#segments.join(':');
  }

  /** The key as a string, so a builder can be interpolated directly. */
  toString(): string {
    return this.buildString();
  }
}

/** Normalizes a key argument to its string form, rejecting anything that is not a key. */
export function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key instanceof CacheKey) return key.value;
  throw CacheErrors.invalidKey(key);
}

function segmentText(segment: unknown): string {
  switch (typeof segment) {
    case 'string':
      return segment;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(segment);
    default:
      throw CacheErrors.invalidOption('segment', 'a string, number, bigint or boolean', segment);
  }
}
