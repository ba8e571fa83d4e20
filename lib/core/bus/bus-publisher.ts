import { randomBytes } from 'node:crypto';
import type { BusMessage } from './bus-message.types.js';
import type { BusTransport } from './bus-transport.js';
import { encodeBusPayload, SENDER_ID_BYTES, splitForWire } from './bus-wire.js';
import type { BusCounters } from './cache-bus.stats.js';
import { DeadlineQueue } from './deadline-queue.js';
import { RetryQueue } from './retry-queue.js';
import { SendBatch, type SendBatchHooks } from './send-batch.js';

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
  /** Sends in flight, each settled by `publishTimeout` at the latest, under one timer. */
  readonly #inFlight: DeadlineQueue<SendBatch>;
  readonly #hooks: SendBatchHooks;

  constructor(
    private readonly transport: BusTransport,
    private readonly settings: BusPublisherSettings,
  ) {
    this.senderId = this.#sender.toString('hex');
    this.#queue = new RetryQueue(settings.maxRetryItems);
    this.#inFlight = new DeadlineQueue(settings.publishTimeout);
    this.#hooks = {
      accepted: () => {
        settings.counters.published++;
        this.#failing = false;
      },
      failed: (cause) => {
        settings.counters.publishFailures++;
        settings.onFailure?.();
        if (this.#failing) return;
        this.#failing = true;
        settings.warn('Publishing to the bus failed; retrying in the background.', cause);
      },
      ended: () => this.#inFlight.prune(),
    };
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
    this.#inFlight.expireAll();
  }

  /**
   * Hands every part to the transport at once (in order) and waits until each was accepted or
   * failed, or until `publishTimeout`. Resolves with the parts that failed or did not settle in
   * time; never rejects. Sequence numbers are taken here, at send time.
   */
  #sendAll(parts: readonly BusMessage[]): Promise<BusMessage[]> {
    if (parts.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const batch = new SendBatch(
        parts,
        this.#inFlight.deadlineFromNow(),
        this.#inFlight.timeoutMs,
        this.#hooks,
        resolve,
      );
      this.#inFlight.add(batch);
      for (let i = 0; i < parts.length; i++) {
        try {
          const payload = encodeBusPayload(this.#sender, ++this.#seq, parts[i]!);
          this.transport.publish(payload).then(
            () => batch.accept(i),
            (cause: unknown) => batch.fail(i, cause),
          );
        } catch (cause) {
          batch.fail(i, cause);
        }
      }
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
