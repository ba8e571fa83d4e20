import { CacheErrors } from './cache.errors.js';
import { escapeSegment, type KeySegment } from './cache-key.js';

/** An ordered, reusable group of invalidation tags. Immutable: every call returns a new set. */
export class TagSet implements Iterable<string> {
  readonly #tags: readonly string[];

  constructor(tags: readonly string[] = []) {
    this.#tags = tags;
  }

  /** A set holding one raw tag. */
  static fromTag(tag: string): TagSet {
    return new TagSet().tag(tag);
  }

  /** Appends one raw (unescaped) tag. */
  tag(tag: string): TagSet {
    return new TagSet([...this.#tags, checkTag(tag)]);
  }

  /** Appends each raw tag of `tags`. */
  tags(tags: Iterable<string>): TagSet {
    return new TagSet([...this.#tags, ...tagList(tags)]);
  }

  /** Appends the escaped tag `kind:id`, matching {@link CacheKeyBuilder.entity}. */
  entity(kind: KeySegment, id: KeySegment): TagSet {
    return new TagSet([...this.#tags, `${escapeSegment(kind)}:${escapeSegment(id)}`]);
  }

  /** Appends the tag `tenant:<id>`. */
  tenant(id: KeySegment): TagSet {
    return this.entity('tenant', id);
  }

  /** True when the set holds no tag. */
  isEmpty(): boolean {
    return this.#tags.length === 0;
  }

  /** The tags in insertion order. */
  toArray(): string[] {
    return [...this.#tags];
  }

  /** Iterates the tags in insertion order. */
  [Symbol.iterator](): Iterator<string> {
    return this.#tags[Symbol.iterator]();
  }
}

/**
 * Normalizes any accepted tags value to an array of strings: a single string is one tag (not its
 * characters), a TagSet or any iterable of strings is its members.
 */
export function tagList(tags: unknown, field = 'tags'): string[] {
  if (typeof tags === 'string') return [tags];
  if (tags instanceof TagSet) return tags.toArray();
  if (
    tags === null ||
    typeof tags !== 'object' ||
    typeof (tags as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function'
  ) {
    throw CacheErrors.invalidOption(field, 'a string, an iterable of strings or a TagSet', tags);
  }
  if (Array.isArray(tags)) {
    for (const tag of tags) checkTag(tag, field);
    // An exact-size copy: entries keep their tags, and push-grown arrays carry spare capacity.
    return tags.slice();
  }
  const out: string[] = [];
  for (const tag of tags as Iterable<unknown>) out.push(checkTag(tag, field));
  return out.slice();
}

function checkTag(tag: unknown, field = 'tag'): string {
  if (typeof tag !== 'string') throw CacheErrors.invalidOption(field, 'tags that are strings', tag);
  return tag;
}
