/**
 * What the index holds: anything that carries up to two tags in fields and the rest in an array
 * (the store's entries). The index replaces each tag with its own equal string, so one string is
 * shared by every entry of a tag, however the caller built it.
 */
export interface Tagged {
  /** First tag, if any. */
  tagA: string | undefined;
  /** Second tag, if any. */
  tagB: string | undefined;
  /** Third and later tags, if any. */
  moreTags: string[] | undefined;
}

/** The entries of a tag that indexes more than one, with the tag's shared string. */
class TagGroup<E> {
  readonly entries: Set<E>;

  constructor(
    readonly tag: string,
    first: E,
    second: E,
  ) {
    this.entries = new Set([first, second]);
  }
}

/**
 * Tag bookkeeping: which stored entries carry a tag.
 *
 * Entries are indexed only while they are stored (the store reports every removal), so the index
 * never outgrows the cache. It holds the entries themselves rather than their keys: invalidating
 * a tag then removes each entry without first looking it up again by key. (What running loads need
 * to know about invalidations is recorded with the loads, in in-flight.ts.)
 */
export class TagIndex<E extends Tagged> {
  /** Each tag's entries: the entry itself while the tag has one (most entity tags), else a group. */
  readonly #byTag = new Map<string, E | TagGroup<E>>();

  /** Number of distinct tags that index at least one stored entry. */
  get tagCount(): number {
    return this.#byTag.size;
  }

  /** Indexes `item` under each of its tags, giving it the index's shared string for each. */
  add(item: E): void {
    if (item.tagA !== undefined) item.tagA = this.#addTo(item.tagA, item);
    if (item.tagB !== undefined) item.tagB = this.#addTo(item.tagB, item);
    const more = item.moreTags;
    if (more !== undefined)
      for (let i = 0; i < more.length; i++) more[i] = this.#addTo(more[i]!, item);
  }

  /** Removes `item` from each of its tags, dropping tags left empty. */
  remove(item: E): void {
    if (item.tagA !== undefined) this.#removeFrom(item.tagA, item);
    if (item.tagB !== undefined) this.#removeFrom(item.tagB, item);
    const more = item.moreTags;
    if (more !== undefined) for (const tag of more) this.#removeFrom(tag, item);
  }

  /**
   * Removes `tag` from the index and returns the entries it indexed. Taking the whole set first
   * means removing those entries afterwards never touches this tag's set again.
   */
  take(tag: string): Iterable<E> {
    const held = this.#byTag.get(tag);
    if (held === undefined) return [];
    this.#byTag.delete(tag);
    return held instanceof TagGroup ? held.entries : [held];
  }

  /** The entries `tag` indexes now, left in the index (a live view: copy it before removing any). */
  entriesOf(tag: string): Iterable<E> {
    const held = this.#byTag.get(tag);
    if (held === undefined) return [];
    return held instanceof TagGroup ? held.entries : [held];
  }

  /** Adds `item` under `tag`; returns the tag's shared string. */
  #addTo(tag: string, item: E): string {
    const held = this.#byTag.get(tag);
    if (held === undefined) {
      this.#byTag.set(tag, item);
      return tag;
    }
    if (held instanceof TagGroup) {
      held.entries.add(item);
      return held.tag;
    }
    if (held === item) return tag; // the same tag twice on one entry
    const shared = sameTagOf(held, tag);
    this.#byTag.set(tag, new TagGroup(shared, held, item));
    return shared;
  }

  #removeFrom(tag: string, item: E): void {
    const held = this.#byTag.get(tag);
    if (held === undefined) return;
    if (!(held instanceof TagGroup)) {
      if (held === item) this.#byTag.delete(tag);
      return;
    }
    const entries = held.entries;
    entries.delete(item);
    // Back to the compact form once one entry is left.
    if (entries.size === 1) this.#byTag.set(tag, entries.values().next().value as E);
    else if (entries.size === 0) this.#byTag.delete(tag);
  }

  /** Drops every indexed entry. */
  clear(): void {
    this.#byTag.clear();
  }
}

/** `item`'s own string equal to `tag` (the shared one, as `item` was indexed first). */
function sameTagOf(item: Tagged, tag: string): string {
  if (item.tagA === tag) return item.tagA;
  if (item.tagB === tag) return item.tagB;
  return item.moreTags?.find((t) => t === tag) ?? tag;
}
