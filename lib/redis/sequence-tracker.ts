import type { Frame } from './redis-frame.js';

/**
 * Decides, from sequence numbers alone, whether this subscriber may have missed a message. Pure
 * logic (no Redis), so every case is unit-tested; redis-bus.transport.ts feeds it.
 *
 * Every message on a channel carries the next number of one counter in Redis (redis-scripts.ts), so
 * while the subscription is up the numbers arrive contiguous and in order, and a jump is a gap.
 * After a (re)subscribe the tracker buffers frames until it gets a snapshot of the counter taken
 * after the subscription was live and ordered against it (see the transport's sync step). The
 * reconnect is gap-free only when the snapshot is from the same server run and the same counter
 * epoch, and every number after the last delivered one up to the snapshot arrived in the buffer.
 */

/** The counter as read after a subscribe: server run, counter epoch and its value. */
export interface CounterSnapshot {
  readonly runId: string;
  readonly epoch: string;
  readonly seq: number;
}

/** What the transport must report to its listener, in order. */
export type TrackerEvent =
  | { readonly kind: 'connected'; readonly gap: boolean }
  | { readonly kind: 'message'; readonly payload: Uint8Array }
  | { readonly kind: 'gap' };

interface Position {
  runId: string;
  /** Undefined once the counter was seen going backwards: its epoch is then unknown. */
  epoch: string | undefined;
  seq: number;
}

/** Tracks one subscriber's position in the channel's sequence across reconnects. */
export class SequenceTracker {
  #position: Position | undefined;
  #state: 'down' | 'syncing' | 'live' = 'down';
  #buffer: Frame[] = [];
  #overflowed = false;
  #highestSeen = 0;

  /** @param maxBuffered frames kept while a sync is pending (default 10 000); beyond it: a gap. */
  constructor(private readonly maxBuffered = 10_000) {}

  /** True between {@link synced} and {@link lost}. */
  get live(): boolean {
    return this.#state === 'live';
  }

  /** A SUBSCRIBE was sent: buffer frames until {@link synced}. */
  subscribing(): void {
    this.#state = 'syncing';
    this.#buffer = [];
    this.#overflowed = false;
    this.#highestSeen = 0;
  }

  /** The subscription dropped: frames are ignored until the next {@link subscribing}. */
  lost(): void {
    this.#state = 'down';
    this.#buffer = [];
  }

  /** A well-formed frame arrived on the subscription. */
  frame(frame: Frame): TrackerEvent[] {
    if (this.#state === 'live') return this.#follow(frame);
    if (this.#state === 'syncing') this.#hold(frame);
    return [];
  }

  /** The counter was read after the subscription went live: report `connected` and the buffer. */
  synced(snapshot: CounterSnapshot): TrackerEvent[] {
    if (this.#state !== 'syncing') return [];
    const covered = this.#covers(snapshot);
    const previous = this.#position;
    this.#position = {
      runId: snapshot.runId,
      epoch: snapshot.epoch,
      seq:
        covered && previous
          ? previous.seq
          : this.#overflowed
            ? Math.max(snapshot.seq, this.#highestSeen)
            : snapshot.seq,
    };
    const events: TrackerEvent[] = [{ kind: 'connected', gap: !covered }];
    for (const frame of this.#buffer) {
      // Before the snapshot and already covered by the gap: deliver without checking order.
      if (!covered && frame.seq <= snapshot.seq) events.push(message(frame));
      else events.push(...this.#follow(frame));
    }
    this.#buffer = [];
    this.#state = 'live';
    return events;
  }

  #hold(frame: Frame): void {
    this.#highestSeen = Math.max(this.#highestSeen, frame.seq);
    if (this.#overflowed) return;
    if (this.#buffer.length >= this.maxBuffered) {
      // Everything dropped here arrived before `connected({ gap: true })`, so the gap covers it.
      this.#overflowed = true;
      this.#buffer = [];
      return;
    }
    this.#buffer.push(frame);
  }

  #covers(snapshot: CounterSnapshot): boolean {
    const previous = this.#position;
    if (!previous || this.#overflowed) return false;
    if (previous.runId !== snapshot.runId || previous.epoch !== snapshot.epoch) return false;
    if (snapshot.seq < previous.seq) return false;
    let next = previous.seq + 1;
    for (const frame of this.#buffer) {
      if (frame.seq > snapshot.seq) break;
      if (frame.seq !== next) return false;
      next++;
    }
    return next === snapshot.seq + 1;
  }

  #follow(frame: Frame): TrackerEvent[] {
    const position = this.#position!;
    const events: TrackerEvent[] = [];
    if (frame.seq !== position.seq + 1) {
      events.push({ kind: 'gap' });
      // Backwards: the counter was reset under us; no later snapshot can prove continuity with it.
      if (frame.seq <= position.seq) position.epoch = undefined;
    }
    position.seq = frame.seq;
    events.push(message(frame));
    return events;
  }
}

function message(frame: Frame): TrackerEvent {
  return { kind: 'message', payload: frame.payload };
}
