import { CacheErrors } from '../cache.errors.js';
import { busChannel, publishBusEvent, type BusEventName } from '../cache-events.js';
import type { BusMessage, BusTarget } from './bus-message.types.js';
import { BusPublisher } from './bus-publisher.js';
import type { BusTransport, RejectedFrame, TransportListener } from './bus-transport.js';
import { decodeBusPayload, type BusEnvelope } from './bus-wire.js';
import { resolveBusOptions, type CacheBusOptions } from './cache-bus.options.js';
import { BusCounters, type CacheBusStats } from './cache-bus.stats.js';
import { OutageClock } from './outage-clock.js';

/**
 * Connects one cache to the other instances sharing a transport: publishes the cache's local
 * changes, applies the others' changes to it, and keeps it from serving what a missed message
 * would have removed.
 *
 * Staleness bound. Every gap the transport reports (and the first connect) drops the local cache.
 * While the transport reports the subscription lost, writes are stored with a TTL of at most
 * `disconnectedTtl`, and the entries from before the outage are dropped once it has lasted
 * `disconnectedTtl`. So an invalidation missed during an outage stops being served at most
 * `disconnectedTtl` after the transport noticed the outage (or at reconnect, if sooner); the time
 * a transport takes to notice a dead connection adds to that.
 */
export class CacheBus {
  readonly #transport: BusTransport;
  readonly #target: BusTarget;
  readonly #options: Required<CacheBusOptions>;
  readonly #counters = new BusCounters();
  readonly #publisher: BusPublisher;
  readonly #warned = new Set<string>();
  #connected = false;
  #everConnected = false;
  #lastConnectedAt: number | undefined;
  #starting = false;
  readonly #outage: OutageClock;
  #closing: Promise<void> | undefined;

  /** Starts `transport` in the background (never waits for it) and serves `target` with it. */
  constructor(transport: BusTransport, target: BusTarget, options?: CacheBusOptions) {
    checkTransport(transport);
    this.#options = resolveBusOptions(options);
    this.#transport = transport;
    this.#target = target;
    this.#publisher = new BusPublisher(transport, {
      publishTimeout: this.#options.publishTimeout,
      maxRetryItems: this.#options.maxRetryItems,
      counters: this.#counters,
      onFailure: () => this.#emit('publish-failure'),
      warn: this.#options.onWarn,
    });
    this.#outage = new OutageClock(this.#options.disconnectedTtl, () => this.#onOutageExpired());
    this.#outage.start(); // disconnected since start, until the first `connected`
    this.#starting = true;
    try {
      transport.start(this.#listener());
    } catch (cause) {
      this.#options.onWarn(`The ${transport.name} bus transport failed to start.`, cause);
    } finally {
      this.#starting = false;
    }
  }

  /** This instance's sender id (lowercase hex), as carried by every message it publishes. */
  get senderId(): string {
    return this.#publisher.senderId;
  }

  /** Whether the transport's subscription is live now. */
  get connected(): boolean {
    return this.#connected;
  }

  /**
   * The longest TTL a write may store now, in ms: `Infinity` while connected, `disconnectedTtl`
   * while disconnected. The cache calls it on every write, so it is a field read.
   */
  get ttlCap(): number {
    return this.#connected ? Infinity : this.#options.disconnectedTtl;
  }

  /**
   * Hands a local change to the other instances. Settles once the transport accepted it, or at
   * once when it was queued for retry, or after `publishTimeout` ms; never rejects.
   */
  publish(message: BusMessage): Promise<void> {
    return this.#publisher.publish(message);
  }

  /** A frozen snapshot of the counters; see {@link CacheBusStats}. */
  stats(): CacheBusStats {
    return this.#counters.snapshot({
      transport: this.#transport.name,
      connected: this.#connected,
      lastConnectedAt: this.#lastConnectedAt,
      retryQueueSize: this.#publisher.queue.size,
      retryQueueOverflows: this.#publisher.queue.overflows,
    });
  }

  /** Stops timers and retries and closes the transport; safe to call twice, never rejects. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#outage.stop();
    this.#publisher.close();
    this.#connected = false;
    try {
      await this.#transport.close();
    } catch (cause) {
      this.#options.onWarn(`Closing the ${this.#transport.name} bus transport failed.`, cause);
    }
  }

  #listener(): TransportListener {
    // Every callback is guarded: a transport must never see a throw from the bus.
    const guard =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        if (this.#closing) return;
        try {
          fn(...args);
        } catch (cause) {
          this.#warnOnce('listener', 'The cache bus failed to handle a transport event.', cause);
        }
      };
    return {
      message: guard((payload: Uint8Array, decoded?: BusEnvelope) =>
        this.#receive(payload, decoded),
      ),
      connected: guard((info: { readonly gap: boolean }) => this.#onConnected(info?.gap !== false)),
      disconnected: guard(() => this.#onDisconnected()),
      gap: guard(() => this.#onGap()),
      rejected: guard((reason: RejectedFrame) => this.#onRejected(reason)),
      warn: guard((message: string, cause?: unknown) => this.#options.onWarn(message, cause)),
    };
  }

  #receive(payload: Uint8Array, checked: BusEnvelope | undefined): void {
    this.#counters.received++;
    const decoded = checked ?? decodeBusPayload(payload);
    if (decoded.kind === 'malformed') {
      this.#counters.malformed++;
      this.#warnOnce('malformed', `Ignored a malformed bus message (${decoded.reason}).`);
    } else if (decoded.kind === 'unknown-version') {
      this.#counters.unknownVersion++;
      this.#warnOnce(
        'unknown-version',
        `Ignored bus messages of wire version ${decoded.version}, newer than this instance's; ` +
          'they come from a newer release sharing the channel.',
      );
    } else if (decoded.sender === this.#publisher.senderId) {
      this.#counters.ignoredOwn++;
    } else {
      this.#target.applyLocally(decoded.message);
      this.#counters.applied++;
    }
  }

  #onRejected(reason: RejectedFrame): void {
    if (reason === 'duplicate') {
      this.#counters.duplicates++;
      return;
    }
    this.#counters.unauthenticated++;
    this.#warnOnce(
      'unauthenticated',
      'Ignored bus messages without a valid MAC: something without this bus key publishes on the ' +
        'channel (an instance with another key or none, or another program).',
    );
  }

  #onConnected(gap: boolean): void {
    const first = !this.#everConnected;
    this.#everConnected = true;
    this.#connected = true;
    this.#lastConnectedAt = Date.now();
    this.#publisher.connected = true;
    this.#outage.stop();
    this.#emit('connected');
    if (gap) {
      this.#counters.gapsDetected++;
      this.#emit('gap');
    }
    // Before the first connect this cache heard nothing: what it stored or is loading may be
    // stale. A transport that connects while the bus is being built leaves nothing to drop.
    if ((gap || first) && !this.#starting) this.#resync();
    void this.#publisher.drain();
  }

  #onDisconnected(): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#publisher.connected = false;
    this.#counters.disconnects++;
    this.#emit('disconnected');
    this.#outage.start();
  }

  #onGap(): void {
    this.#counters.gapsDetected++;
    this.#emit('gap');
    this.#resync();
  }

  /** Drops the local cache (superseding running loads), unless it holds nothing that could be stale. */
  #resync(): void {
    if (this.#target.size === 0 && (this.#target.loading ?? 1) === 0) return;
    this.#counters.resyncs++;
    this.#emit('resync');
    this.#target.applyLocally({ type: 'flush' });
  }

  #onOutageExpired(): void {
    this.#counters.outageFlushes++;
    this.#emit('outage-flush');
    try {
      this.#target.applyLocally({ type: 'flush' });
    } catch (cause) {
      this.#warnOnce('outage', 'The cache bus failed to flush the cache after an outage.', cause);
    }
  }

  /** Publishes a bus event when anyone listens (see cache-events.ts). */
  #emit(event: BusEventName): void {
    if (busChannel.hasSubscribers)
      publishBusEvent(this.#target.name ?? 'default', this.#transport.name, event);
  }

  #warnOnce(kind: string, message: string, cause?: unknown): void {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    this.#options.onWarn(message, cause);
  }
}

function checkTransport(transport: unknown): void {
  const t = transport as Partial<BusTransport> | null | undefined;
  if (
    typeof t?.start !== 'function' ||
    typeof t.publish !== 'function' ||
    typeof t.close !== 'function'
  ) {
    throw CacheErrors.invalidOption('bus', 'a BusTransport (start, publish, close)', transport);
  }
}
