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
  return iterated(tags as Iterable<unknown>, field);
}

/**
 * The members of a hand-made iterable, each checked. Its protocol is checked too: an iterator or
 * step that is not an object would otherwise end in a bare TypeError from `for...of`.
 */
function iterated(tags: Iterable<unknown>, field: string): string[] {
  const broken = (): Error =>
    CacheErrors.invalidOption(field, 'an iterable whose iterator follows the protocol', tags);
  const iterator = tags[Symbol.iterator]() as Partial<Iterator<unknown>> | null;
  if (iterator === null || typeof iterator !== 'object' || typeof iterator.next !== 'function') {
    throw broken();
  }
  const out: string[] = [];
  for (;;) {
    const step = iterator.next() as IteratorResult<unknown> | null;
    if (step === null || typeof step !== 'object') throw broken();
    if (step.done === true) return out.slice();
    out.push(checkTag(step.value, field));
  }
}

function checkTag(tag: unknown, field = 'tag'): string {
  if (typeof tag !== 'string') throw CacheErrors.invalidOption(field, 'tags that are strings', tag);
  return tag;
}
