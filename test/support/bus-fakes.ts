import type { BusMessage, BusTarget } from '../../lib/core/bus/bus-message.types.js';
import type { BusTransport, TransportListener } from '../../lib/core/bus/bus-transport.js';
import { decodeBusPayload, type BusEnvelope } from '../../lib/core/bus/bus-wire.js';
import { deferred, type Deferred } from './deferred.js';

/** A cache stand-in that records what the bus applied to it; `size` and `loading` are settable. */
export class FakeTarget implements BusTarget {
  readonly applied: BusMessage[] = [];
  size = 0;
  loading: number | undefined = 0;

  applyLocally(message: BusMessage): void {
    this.applied.push(message);
    if (message.type === 'flush') this.size = 0;
  }

  /** How many flushes were applied. */
  get flushes(): number {
    return this.applied.filter((m) => m.type === 'flush').length;
  }
}

/** One payload handed to a {@link ScriptedTransport}, with the promise the bus waits on. */
export interface SentPayload {
  readonly envelope: BusEnvelope;
  readonly result: Deferred<void>;
}

/**
 * A transport the test drives by hand: it records every publish and leaves it pending until the
 * test settles it (or accepts at once with `autoAccept`); `listener` reports events to the bus.
 */
export class ScriptedTransport implements BusTransport {
  readonly name = 'scripted';
  listener!: TransportListener;
  readonly sent: SentPayload[] = [];
  autoAccept = false;
  closes = 0;

  start(listener: TransportListener): void {
    this.listener = listener;
  }

  publish(payload: Uint8Array): Promise<void> {
    const decoded = decodeBusPayload(payload);
    if (decoded.kind !== 'message') throw new Error(`the bus sent a ${decoded.kind} payload`);
    const result = deferred<void>();
    this.sent.push({ envelope: decoded, result });
    if (this.autoAccept) result.resolve();
    return result.promise;
  }

  close(): Promise<void> {
    this.closes++;
    return Promise.resolve();
  }

  /** The messages sent so far, in order. */
  messages(): BusMessage[] {
    return this.sent.map((s) => s.envelope.message);
  }
}
