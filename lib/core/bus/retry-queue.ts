import type { BusMessage } from './bus-message.types.js';

/**
 * The messages a bus still owes the other instances, coalesced: pending keys and tags are sets
 * (invalidating `k` twice sends it once), and a pending flush supersedes everything. Every bus
 * message only removes entries, so merging and reordering what is pending never changes what the
 * receivers end up dropping. Bounded: beyond `maxItems` keys and tags, the queue collapses into
 * one pending flush.
 */
export class RetryQueue {
  readonly #keys = new Set<string>();
  readonly #tags = new Set<string>();
  #flush = false;
  #overflows = 0;

  constructor(private readonly maxItems: number) {}

  /** Keys and tags pending; a pending flush counts as 1. */
  get size(): number {
    return this.#flush ? 1 : this.#keys.size + this.#tags.size;
  }

  /** True when nothing is pending. */
  get isEmpty(): boolean {
    return !this.#flush && this.#keys.size === 0 && this.#tags.size === 0;
  }

  /** How many times the queue collapsed into a flush because it was full. */
  get overflows(): number {
    return this.#overflows;
  }

  /** Merges `message` into what is pending. */
  add(message: BusMessage): void {
    if (this.#flush) return;
    if (message.type === 'flush') {
      this.#collapse();
      return;
    }
    const into = message.type === 'keys' ? this.#keys : this.#tags;
    for (const item of message.type === 'keys' ? message.keys : message.tags) {
      into.add(item);
      if (this.#keys.size + this.#tags.size > this.maxItems) {
        this.#overflows++;
        this.#collapse();
        return;
      }
    }
  }

  /** Takes everything pending as messages to send (a flush alone, or keys then tags) and empties the queue. */
  take(): BusMessage[] {
    const messages: BusMessage[] = [];
    if (this.#flush) messages.push({ type: 'flush' });
    else {
      if (this.#keys.size > 0) messages.push({ type: 'keys', keys: [...this.#keys] });
      if (this.#tags.size > 0) messages.push({ type: 'tags', tags: [...this.#tags] });
    }
    this.#flush = false;
    this.#keys.clear();
    this.#tags.clear();
    return messages;
  }

  /** Drops everything pending (the bus is closing). */
  clear(): void {
    this.take();
  }

  #collapse(): void {
    this.#flush = true;
    this.#keys.clear();
    this.#tags.clear();
  }
}
