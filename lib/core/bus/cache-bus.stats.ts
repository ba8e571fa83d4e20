/** A snapshot of a bus's counters, taken by `CacheBus.stats()`. Counters only grow. */
export interface CacheBusStats {
  /** The transport's name, e.g. `redis` or `memory`. */
  readonly transport: string;
  /** Whether the transport's subscription is live now (false before it first connects). */
  readonly connected: boolean;
  /** `Date.now()` time the subscription last became live (first connect or reconnect); undefined before. */
  readonly lastConnectedAt: number | undefined;
  /** Times the subscription was lost after being live. */
  readonly disconnects: number;
  /** Payloads the transport accepted, retries included (a long message may take several). */
  readonly published: number;
  /**
   * Sends that failed: the transport rejected them or did not accept them within
   * `publishTimeout`. Their messages went to the retry queue.
   */
  readonly publishFailures: number;
  /** Keys plus tags waiting in the retry queue now (a pending flush counts as 1). */
  readonly retryQueueSize: number;
  /** Times the retry queue overflowed `maxRetryItems` and collapsed into one pending flush. */
  readonly retryQueueOverflows: number;
  /** Payloads the transport delivered, this instance's own and unreadable ones included. */
  readonly received: number;
  /** Messages of other instances applied to the local cache. */
  readonly applied: number;
  /** This instance's own messages, echoed back by the transport and not applied again. */
  readonly ignoredOwn: number;
  /** Payloads that were not valid bus messages (garbage on the channel); never applied. */
  readonly malformed: number;
  /** Payloads of a newer wire version (a rolling deploy); never applied. */
  readonly unknownVersion: number;
  /**
   * Frames the transport dropped for lacking a valid MAC under the bus's shared key (a publisher
   * without the key, or with another one); never applied, never a gap.
   */
  readonly unauthenticated: number;
  /** Copies of frames already delivered (replays, duplicates) the transport dropped; never a gap. */
  readonly duplicates: number;
  /** Times the transport reported that messages may have been missed (a gap, or a reconnect that cannot prove none were). */
  readonly gapsDetected: number;
  /**
   * Times the local cache was dropped because messages may have been missed: after each detected
   * gap, and on the first connect (what was stored before it could not hear other instances).
   */
  readonly resyncs: number;
  /** Times the local cache was dropped because an outage lasted `disconnectedTtl`. */
  readonly outageFlushes: number;
}

/** The mutable counters behind {@link CacheBusStats}. */
export class BusCounters {
  disconnects = 0;
  published = 0;
  publishFailures = 0;
  received = 0;
  applied = 0;
  ignoredOwn = 0;
  malformed = 0;
  unknownVersion = 0;
  unauthenticated = 0;
  duplicates = 0;
  gapsDetected = 0;
  resyncs = 0;
  outageFlushes = 0;

  /** A frozen snapshot including the live values. */
  snapshot(live: {
    transport: string;
    connected: boolean;
    lastConnectedAt: number | undefined;
    retryQueueSize: number;
    retryQueueOverflows: number;
  }): CacheBusStats {
    return Object.freeze({
      transport: live.transport,
      connected: live.connected,
      lastConnectedAt: live.lastConnectedAt,
      disconnects: this.disconnects,
      published: this.published,
      publishFailures: this.publishFailures,
      retryQueueSize: live.retryQueueSize,
      retryQueueOverflows: live.retryQueueOverflows,
      received: this.received,
      applied: this.applied,
      ignoredOwn: this.ignoredOwn,
      malformed: this.malformed,
      unknownVersion: this.unknownVersion,
      unauthenticated: this.unauthenticated,
      duplicates: this.duplicates,
      gapsDetected: this.gapsDetected,
      resyncs: this.resyncs,
      outageFlushes: this.outageFlushes,
    });
  }
}
