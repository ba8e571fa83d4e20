/**
 * A plain model of the recency order HydraCache keeps with quick-lru: two generations, where
 * writes and reads of old-generation keys land in the new one, the new one becomes the old one
 * when it reaches `capacity`, and eviction takes the old generation first, oldest first.
 */
export class GenerationalOrder {
  #recent: string[] = [];
  #old: string[] = [];

  constructor(readonly capacity: number) {}

  /** Keys in eviction order (next to go first). */
  get keys(): string[] {
    return [...this.#old, ...this.#recent];
  }

  has(key: string): boolean {
    return this.#recent.includes(key) || this.#old.includes(key);
  }

  /** A read of a stored key: promotes it only if it is in the old generation. */
  read(key: string): void {
    const i = this.#old.indexOf(key);
    if (i < 0) return;
    this.#old.splice(i, 1);
    this.#push(key);
  }

  /** A write: returns the key evicted to make room, if any. */
  write(key: string): string | undefined {
    let evicted: string | undefined;
    if (this.has(key)) this.remove(key);
    else if (this.#old.length + this.#recent.length >= this.capacity) {
      evicted = this.keys[0];
      this.remove(evicted);
    }
    this.#push(key);
    return evicted;
  }

  remove(key: string): void {
    this.#recent = this.#recent.filter((k) => k !== key);
    this.#old = this.#old.filter((k) => k !== key);
  }

  clear(): void {
    this.#recent = [];
    this.#old = [];
  }

  #push(key: string): void {
    this.#recent.push(key);
    if (this.#recent.length >= this.capacity) {
      this.#old = this.#recent;
      this.#recent = [];
    }
  }
}
