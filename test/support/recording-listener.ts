import type { RejectedFrame, TransportListener } from '../../lib/core/bus/bus-transport.js';
import { textOf } from './bus-payloads.js';
import { pollUntil } from './poll.js';

/** One call a transport made on its listener. */
export type TransportEvent =
  | { kind: 'message'; text: string }
  | { kind: 'connected'; gap: boolean }
  | { kind: 'disconnected' }
  | { kind: 'gap' }
  | { kind: 'rejected'; reason: RejectedFrame }
  | { kind: 'warn'; message: string };

/**
 * A {@link TransportListener} that records every call in order; payloads are read as the text
 * `wire()` put in them (test/support/bus-payloads.ts), or as UTF-8.
 */
export class RecordingListener implements TransportListener {
  readonly events: TransportEvent[] = [];

  message(payload: Uint8Array): void {
    this.events.push({ kind: 'message', text: textOf(payload) });
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
  rejected(reason: RejectedFrame): void {
    this.events.push({ kind: 'rejected', reason });
  }
  warn(message: string): void {
    this.events.push({ kind: 'warn', message });
  }

  /** The texts of the messages received, in order. */
  get texts(): string[] {
    return this.events.flatMap((event) => (event.kind === 'message' ? [event.text] : []));
  }

  /** Events other than warnings (which carry machine-specific error texts), messages and rejections. */
  get health(): TransportEvent[] {
    return this.events.filter(
      (event) => event.kind !== 'warn' && event.kind !== 'message' && event.kind !== 'rejected',
    );
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
