import type { TransportListener } from '../core/bus/bus-transport.js';
import type { FrameAuth } from './frame-auth.js';
import { FrameIntake, type CheckedFrame } from './frame-intake.js';
import { MalformedFrames } from './malformed-frames.js';
import { IN_ORDER, SequenceTracker, type TrackerEvent } from './sequence-tracker.js';

/** Where a {@link FrameReceiver} reports: its transport's listener. */
export interface ReceiverOutput {
  /** The listener, for the hot path (undefined before the transport started). */
  readonly listener: TransportListener | undefined;
  /** True once the transport is closing: nothing more is reported. */
  readonly closing: boolean;
  /** Calls the listener; its exceptions never escape. */
  call(report: (listener: TransportListener) => void): void;
  /** `connected` was reported. */
  reportedConnected(): void;
}

/**
 * The receiving half of the Redis transport: every message off the subscription goes through the
 * checks (frame-intake.ts) and the sequence tracker, and what they decide is reported to the
 * listener, in order. The transport's sync step (after each subscribe) drives the same tracker.
 */
export class FrameReceiver {
  readonly tracker = new SequenceTracker<CheckedFrame>();
  readonly intake: FrameIntake;
  /** The channel name as bytes, to check each message's channel without decoding it. */
  readonly #channelBytes: Buffer;
  readonly #malformed: MalformedFrames;

  constructor(
    redisChannel: string,
    auth: FrameAuth | undefined,
    private readonly out: ReceiverOutput,
  ) {
    this.intake = new FrameIntake(auth);
    this.#channelBytes = Buffer.from(redisChannel);
    this.#malformed = new MalformedFrames(redisChannel, (message) =>
      out.call((listener) => listener.warn(message)),
    );
  }

  /** A message read on the subscription (ioredis' `messageBuffer`). */
  message(channel: Buffer, bytes: Buffer): void {
    if (this.out.closing || !channel.equals(this.#channelBytes)) return;
    const intake = this.intake.take(bytes);
    if (intake.kind === 'numbered') {
      const events = this.tracker.frame(intake);
      if (events === IN_ORDER) this.#deliver(intake);
      else this.report(events);
      return;
    }
    if (intake.kind === 'not-a-frame') {
      this.#malformed.ignored(bytes.length);
      return;
    }
    this.tracker.claim(intake.seq, intake.epoch);
    if (intake.kind === 'unnumbered') this.out.call((l) => l.message(intake.payload));
    else if (intake.kind === 'unauthenticated')
      this.out.call((l) => l.rejected?.('unauthenticated'));
    else this.out.call((l) => l.rejected?.('duplicate'));
  }

  /** Reports what the tracker decided, in order. */
  report(events: readonly TrackerEvent<CheckedFrame>[]): void {
    for (const event of events) {
      if (this.out.closing) return;
      if (event.kind === 'message') this.#deliver(event.frame);
      else if (event.kind === 'gap') this.out.call((l) => l.gap());
      else if (event.kind === 'duplicate') this.out.call((l) => l.rejected?.('duplicate'));
      else {
        this.out.reportedConnected();
        this.out.call((l) => l.connected({ gap: event.gap }));
      }
    }
  }

  /** Hands one checked frame to the listener (the hot path: no closure, no event list). */
  #deliver(frame: CheckedFrame): void {
    const listener = this.out.listener;
    if (!listener) return;
    try {
      listener.message(frame.payload, frame.decoded);
    } catch (error) {
      this.out.call((l) => l.warn('the bus listener threw while handling a message', error));
    }
  }
}
