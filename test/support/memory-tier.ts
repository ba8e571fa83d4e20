import type { SecondTier, TierFill, TierLookup } from '../../lib/index.js';

/**
 * A second tier in a Map, for core tests: versions per key and tag and one for everything, a
 * fill stored only under the versions its lookup read. `failing` makes every call reject (an
 * unreachable tier); `calls` records what reached it.
 */
export class MemoryTier implements SecondTier {
  failing = false;
  readonly calls: string[] = [];
  readonly #entries = new Map<string, { bytes: Uint8Array; tags: string[]; seen: string }>();
  readonly #versions = new Map<string, number>();
  closed = false;

  constructor(readonly maxEntryBytes?: number) {}

  async lookup(key: string, tags: readonly string[]): Promise<TierLookup> {
    this.#call('lookup');
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.seen === this.#seen(key, entry.tags)) {
      return { hit: true, bytes: entry.bytes, tags: entry.tags, ttl: 60_000 };
    }
    return { hit: false, ticket: this.#seen(key, tags) };
  }

  async fill(fill: TierFill): Promise<boolean> {
    this.#call('fill');
    if (fill.ticket !== this.#seen(fill.key, fill.tags)) return false;
    const tags = [...fill.tags, ...fill.resultTags];
    this.#entries.set(fill.key, { bytes: fill.bytes, tags, seen: this.#seen(fill.key, tags) });
    return true;
  }

  async write(key: string, bytes: Uint8Array, tags: readonly string[]): Promise<void> {
    this.#call('write');
    this.#bump(`k:${key}`);
    this.#entries.set(key, { bytes, tags: [...tags], seen: this.#seen(key, tags) });
  }

  async release(): Promise<void> {
    this.#call('release');
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    this.#call(`tags ${tags.join(',')}`);
    for (const tag of tags) this.#bump(`t:${tag}`);
  }

  async invalidateKeys(keys: readonly string[]): Promise<void> {
    this.#call(`keys ${keys.join(',')}`);
    for (const key of keys) this.#bump(`k:${key}`);
  }

  async flush(): Promise<void> {
    this.#call('flush');
    this.#bump('g');
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  #call(name: string): void {
    if (this.failing) throw new Error(`tier down (${name})`);
    this.calls.push(name);
  }

  #bump(name: string): void {
    this.#versions.set(name, (this.#versions.get(name) ?? 0) + 1);
  }

  #seen(key: string, tags: readonly string[]): string {
    const v = (name: string): number => this.#versions.get(name) ?? 0;
    return [v('g'), v(`k:${key}`), ...tags.map((tag) => `${tag}=${v(`t:${tag}`)}`)].join('|');
  }
}
