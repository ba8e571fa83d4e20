import type { TransportListener } from '../../lib/core/bus/bus-transport.js';
import { pollUntil } from './poll.js';

/** One call a transport made on its listener. */
export type TransportEvent =
  | { kind: 'message'; text: string }
  | { kind: 'connected'; gap: boolean }
  | { kind: 'disconnected' }
  | { kind: 'gap' }
  | { kind: 'warn'; message: string };

/** A {@link TransportListener} that records every call in order; payloads are read as UTF-8. */
export class RecordingListener implements TransportListener {
  readonly events: TransportEvent[] = [];

  message(payload: Uint8Array): void {
    this.events.push({ kind: 'message', text: Buffer.from(payload).toString() });
  }
  connected(info: { readonly gap: boolean }): void {
    this.events.push({ kind: 'connected', gap: info.gap });
  }
  disconnected(): void {
    this.events.push({ kind: 'disconnected' });
  }
  gap(): void {
    this.events.push({ kind: 'gap' });
  }
  warn(message: string): void {
    this.events.push({ kind: 'warn', message });
  }

  /** The texts of the messages received, in order. */
  get texts(): string[] {
    return this.events.flatMap((event) => (event.kind === 'message' ? [event.text] : []));
  }

  /** Events other than warnings (which carry machine-specific error texts). */
  get health(): TransportEvent[] {
    return this.events.filter((event) => event.kind !== 'warn' && event.kind !== 'message');
  }

  /** Number of recorded events of `kind`. */
  count(kind: TransportEvent['kind']): number {
    return this.events.filter((event) => event.kind === kind).length;
  }

  /** Waits (polling, 10 s deadline) until `count(kind)` reaches `atLeast`. */
  async waitFor(kind: TransportEvent['kind'], atLeast = 1): Promise<void> {
    await pollUntil(() => this.count(kind) >= atLeast, `${atLeast} "${kind}" event(s)`);
  }

  /** Waits until the messages include `text`. */
  async waitForMessage(text: string): Promise<void> {
    await pollUntil(() => this.texts.includes(text), `message "${text}"`);
  }
}
