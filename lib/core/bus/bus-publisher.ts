import { randomBytes } from 'node:crypto';
import type { BusMessage } from './bus-message.types.js';
import type { BusTransport } from './bus-transport.js';
import { encodeBusPayload, SENDER_ID_BYTES, splitForWire } from './bus-wire.js';
import type { BusCounters } from './cache-bus.stats.js';
import { RetryQueue } from './retry-queue.js';

/** First delay before retrying failed publishes, in ms; it doubles on each failed retry. */
export const RETRY_DELAY_MIN = 100;
/** Longest delay between retries of failed publishes, in ms. */
export const RETRY_DELAY_MAX = 5_000;

/** What a {@link BusPublisher} needs besides its transport. */
export interface BusPublisherSettings {
  readonly publishTimeout: number;
  readonly maxRetryItems: number;
  readonly counters: BusCounters;
  readonly warn: (message: string, cause?: unknown) => void;
  /** Called on every failed send (for events); optional. */
  readonly onFailure?: () => void;
}

/**
 * The sending half of the bus: numbers this instance's payloads, hands them to the transport, and
 * keeps what could not be sent in a coalescing retry queue until it can. While the queue holds
 * anything, new messages join it rather than overtake it, so this sender's messages go out in order.
 */
export class BusPublisher {
  /** This instance's sender id, lowercase hex. */
  readonly senderId: string;
  /** Whether the transport's subscription is live; while it is not, messages go to the queue. */
  connected = false;

  readonly #sender = randomBytes(SENDER_ID_BYTES);
  readonly #queue: RetryQueue;
  #seq = 0;
  #draining = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = RETRY_DELAY_MIN;
  #failing = false;
  #closed = false;
  /** Ends the waits of sends still in flight (called at close). */
  readonly #waits = new Set<() => void>();

  constructor(
    private readonly transport: BusTransport,
    private readonly settings: BusPublisherSettings,
  ) {
    this.senderId = this.#sender.toString('hex');
    this.#queue = new RetryQueue(settings.maxRetryItems);
  }

  /** The retry queue, for stats. */
  get queue(): Pick<RetryQueue, 'size' | 'overflows'> {
    return this.#queue;
  }

  /**
   * Sends `message`, or queues it when it cannot go now. Settles once the transport accepted it or
   * after `publishTimeout` ms, whichever comes first; never rejects.
   */
  async publish(message: BusMessage): Promise<void> {
    if (this.#closed) return;
    const parts = splitForWire(message);
    if (!this.connected || this.#draining || !this.#queue.isEmpty) {
      for (const part of parts) this.#queue.add(part);
      this.#scheduleRetry();
      return;
    }
    const failed = await this.#sendAll(parts);
    if (failed.length > 0 && !this.#closed) {
      for (const part of failed) this.#queue.add(part);
      this.#scheduleRetry();
    }
  }

  /** Sends everything queued, in rounds until the queue stays empty or a send fails. */
  async drain(): Promise<void> {
    if (this.#draining || this.#closed) return;
    this.#draining = true;
    this.#clearRetryTimer();
    try {
      while (!this.#queue.isEmpty && !this.#closed) {
        const failed = await this.#sendAll(this.#queue.take().flatMap(splitForWire));
        if (failed.length > 0) {
          for (const part of failed) this.#queue.add(part);
          this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_DELAY_MAX);
          break;
        }
        this.#retryDelay = RETRY_DELAY_MIN;
      }
    } finally {
      this.#draining = false;
      this.#scheduleRetry();
    }
  }

  /** Stops retrying, drops what is queued and ends every wait in flight. */
  close(): void {
    this.#closed = true;
    this.#clearRetryTimer();
    this.#queue.clear();
    for (const end of [...this.#waits]) end();
  }

  /**
   * Hands every part to the transport at once (in order) and waits until each was accepted or
   * failed, or until `publishTimeout`. Resolves with the parts that failed or did not settle in
   * time; never rejects. Sequence numbers are taken here, at send time.
   */
  #sendAll(parts: readonly BusMessage[]): Promise<BusMessage[]> {
    if (parts.length === 0) return Promise.resolve([]);
    const { counters, publishTimeout } = this.settings;
    return new Promise((resolve) => {
      const failed: BusMessage[] = [];
      const settled = parts.map(() => false);
      let pending = parts.length;
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        this.#waits.delete(end);
        parts.forEach((part, i) => {
          if (!settled[i]) fail(i, new Error(`not accepted within ${publishTimeout} ms`));
        });
        resolve(failed);
      };
      const succeed = (i: number): void => {
        if (settled[i]) return;
        settled[i] = true;
        counters.published++;
        this.#failing = false;
        if (--pending === 0) end();
      };
      const fail = (i: number, cause: unknown): void => {
        if (settled[i]) return;
        settled[i] = true;
        counters.publishFailures++;
        this.settings.onFailure?.();
        failed.push(parts[i]);
        if (!this.#failing) {
          this.#failing = true;
          this.settings.warn('Publishing to the bus failed; retrying in the background.', cause);
        }
        if (--pending === 0) end();
      };
      const timer = setTimeout(end, publishTimeout);
      timer.unref();
      this.#waits.add(end);
      parts.forEach((part, i) => {
        try {
          const payload = encodeBusPayload(this.#sender, ++this.#seq, part);
          this.transport.publish(payload).then(
            () => succeed(i),
            (cause: unknown) => fail(i, cause),
          );
        } catch (cause) {
          fail(i, cause);
        }
      });
    });
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retryTimer !== undefined || this.#queue.isEmpty) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.drain();
    }, this.#retryDelay);
    this.#retryTimer.unref();
  }

  #clearRetryTimer(): void {
    if (this.#retryTimer === undefined) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}
