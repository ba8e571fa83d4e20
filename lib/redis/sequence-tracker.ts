import { compareEpochs } from './counter-epoch.js';

/**
 * Decides, from sequence numbers alone, whether this subscriber may have missed a message. Pure
 * logic (no Redis), so every case is unit-tested; redis-bus.transport.ts feeds it the frames it has
 * already checked (readable payload, valid MAC when keyed).
 *
 * Every message on a channel carries the next number of one counter in Redis, and that counter's
 * epoch (redis-scripts.ts), so while the subscription is up the numbers arrive contiguous and in
 * order: a jump is a gap, a newer epoch is a counter that started again (a gap too), and a number
 * already passed in the same epoch, or any number of an older epoch, is a copy of a frame already
 * delivered (a replay or a duplicate), dropped without a gap. After a (re)subscribe the tracker
 * buffers frames until it gets a snapshot of the counter taken after the subscription was live
 * and ordered against it (see the transport's sync step). The reconnect is gap-free only when the
 * snapshot is from the same server run and the same counter epoch, and every number after the last
 * delivered one up to the snapshot arrived in the buffer.
 *
 * A frame the transport dropped (a payload that is no bus message, no valid MAC, a replayed
 * payload) still shows which number the script gave it, if its header is honest. While the
 * subscription is live Redis delivers every frame or drops the connection, so a number that only
 * such a frame carried is {@link claim}ed: a later jump over claimed numbers only is no gap (an
 * instance without the bus key on a keyed channel costs no flushes). A forged claim cannot hide a
 * real loss, since while live nothing else is lost; during a sync (when frames published before the
 * subscribe were missed) claims are not taken.
 */

/** The counter as read after a subscribe: server run, counter epoch and its value. */
export interface CounterSnapshot {
  readonly runId: string;
  readonly epoch: string;
  readonly seq: number;
}

/** A frame as the tracker sees it: its number and its counter's epoch (the rest is the caller's). */
export interface NumberedFrame {
  readonly seq: number;
  readonly epoch: string;
}

/** What the transport must report to its listener, in order. */
export type TrackerEvent<F extends NumberedFrame> =
  | { readonly kind: 'connected'; readonly gap: boolean }
  | { readonly kind: 'message'; readonly frame: F }
  | { readonly kind: 'gap' }
  /** A copy of a frame already delivered (replayed or duplicated): dropped, nothing missed. */
  | { readonly kind: 'duplicate' };

/** Farthest above the position a claim is kept, in numbers. */
const MAX_CLAIMED = 1024;

/**
 * What {@link SequenceTracker.frame} returns in the common case, the next number of a live
 * subscription: deliver that frame, nothing else (no event list allocated per message).
 */
export const IN_ORDER = Symbol('in order');

interface Position {
  runId: string;
  epoch: string;
  seq: number;
}

/** Tracks one subscriber's position in the channel's sequence across reconnects. */
export class SequenceTracker<F extends NumberedFrame = NumberedFrame> {
  #position: Position | undefined;
  #state: 'down' | 'syncing' | 'live' = 'down';
  #buffer: F[] = [];
  #overflowed = false;
  #highestSeen = 0;
  /** Numbers above the position carried only by dropped frames, while live; bounded by MAX_CLAIMED. */
  readonly #claimed = new Set<number>();

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
    this.#claimed.clear();
  }

  /** A frame numbered `seq` in `epoch` arrived but was dropped; see the class comment. */
  claim(seq: number, epoch: string): void {
    const position = this.#position;
    if (this.#state !== 'live' || position === undefined || epoch !== position.epoch) return;
    if (seq <= position.seq || seq - position.seq > MAX_CLAIMED) return;
    this.#claimed.add(seq);
  }

  /** A checked frame arrived on the subscription: what to report, or {@link IN_ORDER}. */
  frame(frame: F): TrackerEvent<F>[] | typeof IN_ORDER {
    if (this.#state === 'live') {
      const position = this.#position!;
      if (frame.seq === position.seq + 1 && frame.epoch === position.epoch) {
        position.seq = frame.seq;
        if (this.#claimed.size > 0) this.#claimed.delete(frame.seq);
        return IN_ORDER;
      }
      return this.#follow(frame);
    }
    if (this.#state === 'syncing') this.#hold(frame);
    return [];
  }

  /**
   * The numbers a reconnect is missing to be gap-free, as `[from, to]` (inclusive): those after
   * the last delivered one up to the snapshot that did not arrive in the buffer, when the snapshot
   * is of the same server run and epoch (so the replay log may still hold them), at most
   * `maxBuffered` of them. Undefined when nothing is missing or nothing could be replayed.
   */
  missing(snapshot: CounterSnapshot): [number, number] | undefined {
    const previous = this.#position;
    if (this.#state !== 'syncing' || !previous || this.#overflowed) return undefined;
    if (previous.runId !== snapshot.runId || previous.epoch !== snapshot.epoch) return undefined;
    if (snapshot.seq <= previous.seq || snapshot.seq - previous.seq > this.maxBuffered) {
      return undefined;
    }
    const seen = new Set<number>();
    for (const frame of this.#buffer) if (frame.epoch === snapshot.epoch) seen.add(frame.seq);
    let from = 0;
    let to = 0;
    for (let n = previous.seq + 1; n <= snapshot.seq; n++) {
      if (seen.has(n)) continue;
      if (from === 0) from = n;
      to = n;
    }
    return from === 0 ? undefined : [from, to];
  }

  /**
   * Frames read back from the replay log while syncing: they were published before the subscribe,
   * so they go before everything buffered since, in order. Ignored unless syncing.
   */
  replayed(frames: readonly F[]): void {
    if (this.#state !== 'syncing' || frames.length === 0) return;
    this.#buffer = [...[...frames].sort((a, b) => a.seq - b.seq), ...this.#buffer];
  }

  /** The counter was read after the subscription went live: report `connected` and the buffer. */
  synced(snapshot: CounterSnapshot): TrackerEvent<F>[] {
    if (this.#state !== 'syncing') return [];
    const previous = this.#position;
    const covered = previous !== undefined && this.#covers(previous, snapshot);
    this.#position = {
      runId: snapshot.runId,
      epoch: snapshot.epoch,
      seq: covered
        ? previous.seq
        : this.#overflowed
          ? Math.max(snapshot.seq, this.#highestSeen)
          : snapshot.seq,
    };
    const events: TrackerEvent<F>[] = [{ kind: 'connected', gap: !covered }];
    const delivered = new Set<number>();
    for (const frame of this.#buffer) {
      if (covered || frame.epoch !== snapshot.epoch || frame.seq > snapshot.seq) {
        events.push(...this.#follow(frame));
      } else if (delivered.has(frame.seq)) {
        events.push({ kind: 'duplicate' });
      } else {
        // Up to the snapshot and already covered by the gap: deliver without checking order.
        delivered.add(frame.seq);
        events.push({ kind: 'message', frame });
      }
    }
    this.#buffer = [];
    this.#state = 'live';
    return events;
  }

  #hold(frame: F): void {
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

  /** Whether the buffer holds every number after `previous` up to the snapshot, in its epoch. */
  #covers(previous: Position, snapshot: CounterSnapshot): boolean {
    if (this.#overflowed) return false;
    if (previous.runId !== snapshot.runId || previous.epoch !== snapshot.epoch) return false;
    if (snapshot.seq < previous.seq) return false;
    const seen = new Set<number>();
    for (const frame of this.#buffer) {
      if (frame.epoch === snapshot.epoch && frame.seq > previous.seq && frame.seq <= snapshot.seq) {
        seen.add(frame.seq);
      }
    }
    return seen.size === snapshot.seq - previous.seq;
  }

  #follow(frame: F): TrackerEvent<F>[] {
    const position = this.#position!;
    if (frame.epoch !== position.epoch) {
      // An older counter's frame can only be a copy; a newer one means the counter started again
      // under us (its key flushed or evicted), so what the old one numbered may be lost to us.
      if (compareEpochs(frame.epoch, position.epoch) < 0) return [{ kind: 'duplicate' }];
      position.epoch = frame.epoch;
      position.seq = frame.seq;
      return [{ kind: 'gap' }, { kind: 'message', frame }];
    }
    if (frame.seq <= position.seq) return [{ kind: 'duplicate' }];
    const jumped = frame.seq !== position.seq + 1 && !this.#allClaimed(position.seq, frame.seq);
    position.seq = frame.seq;
    if (this.#claimed.size > 0)
      for (const n of this.#claimed) if (n <= frame.seq) this.#claimed.delete(n);
    const message: TrackerEvent<F> = { kind: 'message', frame };
    return jumped ? [{ kind: 'gap' }, message] : [message];
  }

  /** Whether every number strictly between `from` and `to` was claimed. */
  #allClaimed(from: number, to: number): boolean {
    if (to - from - 1 > this.#claimed.size) return false;
    for (let n = from + 1; n < to; n++) if (!this.#claimed.has(n)) return false;
    return true;
  }
}
