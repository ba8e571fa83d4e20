/**
 * The contract between the cache's bus (lib/core/bus) and a transport that moves its messages
 * between instances (Redis in lib/redis, in memory for tests). The transport moves opaque bytes and
 * reports the health of its subscription; everything else (encoding, own-message filtering,
 * retries, what to drop after a gap, the bound on serving while disconnected) is the bus's job.
 */

import type { BusEnvelope } from './bus-wire.js';

/** Why a transport dropped a frame before it reached the bus (counted in the bus's stats). */
export type RejectedFrame =
  /** It carried no valid MAC under the bus's shared key. */
  | 'unauthenticated'
  /** A copy of a frame already delivered (a replay or a duplicate): nothing was missed. */
  | 'duplicate';

/** What a transport reports to the bus that started it. */
export interface TransportListener {
  /**
   * A payload read from the channel, possibly this instance's own (the bus filters those). A
   * transport that already decoded it (to check it) passes the result, so the bus need not again.
   */
  message(payload: Uint8Array, decoded?: BusEnvelope): void;
  /**
   * The subscription is live, first or again. `gap` is true unless the transport can prove that no
   * message published since the last one it delivered was missed.
   */
  connected(info: { readonly gap: boolean }): void;
  /** The subscription was lost: messages may be missed until `connected` is reported again. */
  disconnected(cause?: unknown): void;
  /** Messages were missed while the subscription stayed up (a sequence jump). */
  gap(): void;
  /** A frame was dropped before delivery; optional (a transport without such checks never calls it). */
  rejected?(reason: RejectedFrame): void;
  /** A problem worth an operator's attention that the transport recovers from by itself. */
  warn(message: string, cause?: unknown): void;
}

/** Moves encoded bus messages between the instances that share a channel. */
export interface BusTransport {
  /** Short name for stats and logs, e.g. `redis`. */
  readonly name: string;
  /** Starts connecting in the background; never throws and never waits for the network. Called once. */
  start(listener: TransportListener): void;
  /**
   * Sends one payload to every instance on the channel (this one included). Resolves once the
   * server accepted it; rejects at once when it cannot be sent now (never waits on a client's
   * offline queue).
   */
  publish(payload: Uint8Array): Promise<void>;
  /** Releases every connection and timer, so the process can exit; safe to call twice. */
  close(): Promise<void>;
}
