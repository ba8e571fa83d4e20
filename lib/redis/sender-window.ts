/** Most senders remembered; the least recently heard is forgotten beyond it. */
const DEFAULT_MAX_SENDERS = 10_000;
/** Numbers below a sender's highest that are still told apart (a bitmask of 32). */
const WINDOW = 32;

interface Seen {
  highest: number;
  /** Bit i: number `highest - i` was seen. */
  mask: number;
}

/**
 * Anti-replay for authenticated frames: remembers, per sender id, the sender's own sequence
 * numbers seen recently (the highest and a 32-number window below it, as IPsec does), so that a
 * copy of an authentic payload is recognised even when someone re-publishes it under a new
 * channel-wide number. One sender's payloads go out in order on one connection, so a number more
 * than the window below its highest is a copy too. Bounded: least recently heard senders are
 * forgotten first.
 */
export class SenderWindow {
  readonly #senders = new Map<string, Seen>();

  constructor(private readonly maxSenders = DEFAULT_MAX_SENDERS) {}

  /** Records `seq` from `sender` and returns true, or returns false when it was seen before. */
  accept(sender: string, seq: number): boolean {
    const seen = this.#senders.get(sender);
    if (seen === undefined) {
      if (this.#senders.size >= this.maxSenders) {
        this.#senders.delete(this.#senders.keys().next().value!);
      }
      this.#senders.set(sender, { highest: seq, mask: 1 });
      return true;
    }
    // Most recently heard last, so the first key is the one to forget.
    this.#senders.delete(sender);
    this.#senders.set(sender, seen);
    if (seq > seen.highest) {
      const shift = seq - seen.highest;
      seen.mask = shift >= WINDOW ? 1 : ((seen.mask << shift) | 1) >>> 0;
      seen.highest = seq;
      return true;
    }
    const offset = seen.highest - seq;
    if (offset >= WINDOW) return false;
    const bit = (1 << offset) >>> 0;
    if ((seen.mask & bit) !== 0) return false;
    seen.mask = (seen.mask | bit) >>> 0;
    return true;
  }
}
