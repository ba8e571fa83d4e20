import type { BusTransport, TransportListener } from './bus-transport.js';

/**
 * An in-process channel that several caches share, for tests of multi-instance behaviour: each
 * `hub.transport()` is one instance's connection. Delivery is synchronous and in publish order, so
 * once `await cache.invalidateTag(...)` returns, every online member has applied it.
 */
export class MemoryBusHub {
  readonly #members = new Set<MemoryBusTransport>();

  /** A new member of this hub, to hand to a cache as its bus transport. */
  transport(): MemoryBusTransport {
    return new MemoryBusTransport(this.#members);
  }

  /** Delivers raw bytes to every online member, as if someone published them (garbage, foreign versions). */
  inject(payload: Uint8Array): void {
    for (const member of [...this.#members]) member.inject(payload);
  }
}

/**
 * One member of a {@link MemoryBusHub}. It connects as soon as it is started; the methods below
 * drive faults deterministically.
 */
export class MemoryBusTransport implements BusTransport {
  /** Transport name in stats and logs. */
  readonly name = 'memory';
  #listener: TransportListener | undefined;
  #online = true;
  #missed = 0;
  #failNext = 0;
  #holding = false;
  readonly #held: { payload: Uint8Array; accepted: () => void }[] = [];
  #closed = false;

  /** Internal: use {@link MemoryBusHub.transport}. */
  constructor(private readonly members: Set<MemoryBusTransport>) {}

  /** Whether this member is online (started, not closed, not taken offline). */
  get online(): boolean {
    return this.#listener !== undefined && this.#online && !this.#closed;
  }

  /** Joins the hub and reports `connected` at once (no gap: it has missed nothing). */
  start(listener: TransportListener): void {
    if (this.#listener || this.#closed) return;
    this.#listener = listener;
    this.members.add(this);
    if (this.#online) listener.connected({ gap: false });
  }

  /** Delivers `payload` to every online member, this one included, unless a fault hook says otherwise. */
  publish(payload: Uint8Array): Promise<void> {
    if (!this.online) return Promise.reject(new Error('memory bus transport is offline'));
    if (this.#failNext > 0) {
      this.#failNext--;
      return Promise.reject(new Error('memory bus transport: publish failed (test hook)'));
    }
    if (this.#holding) {
      return new Promise((accepted) => this.#held.push({ payload, accepted }));
    }
    this.#deliver(payload);
    return Promise.resolve();
  }

  /** Leaves the hub; safe to call twice. */
  close(): Promise<void> {
    this.#closed = true;
    this.members.delete(this);
    this.#held.length = 0;
    return Promise.resolve();
  }

  /** Test hook: loses the connection; messages published meanwhile are missed, publishes reject. */
  goOffline(): void {
    if (!this.online) return;
    this.#online = false;
    this.#listener?.disconnected(new Error('memory bus transport taken offline'));
  }

  /** Test hook: reconnects, reporting a gap when anything was published while offline. */
  goOnline(): void {
    if (this.#online || this.#closed) return;
    this.#online = true;
    const gap = this.#missed > 0;
    this.#missed = 0;
    this.#listener?.connected({ gap });
  }

  /** Test hook: the next `count` publishes reject (`Infinity` until `failPublishes(0)`). */
  failPublishes(count = Infinity): void {
    this.#failNext = count;
  }

  /** Test hook: publishes neither deliver nor settle until {@link releasePublishes}. */
  holdPublishes(): void {
    this.#holding = true;
  }

  /** Test hook: delivers the held publishes in order, settles them, and stops holding. */
  releasePublishes(): void {
    this.#holding = false;
    for (const { payload, accepted } of this.#held.splice(0)) {
      this.#deliver(payload);
      accepted();
    }
  }

  /** Test hook: reports a gap while staying connected (as a transport seeing a sequence jump would). */
  reportGap(): void {
    if (this.online) this.#listener?.gap();
  }

  /** Test hook: delivers raw bytes to this member only. */
  inject(payload: Uint8Array): void {
    if (this.online) this.#listener?.message(payload);
    else this.#missed++;
  }

  #deliver(payload: Uint8Array): void {
    for (const member of [...this.members]) {
      try {
        member.inject(payload);
      } catch {
        // One member's failure must not reach the publisher or the other members.
      }
    }
  }
}
