import { decodeBusPayload, type BusEnvelope } from '../core/bus/bus-wire.js';
import type { FrameAuth } from './frame-auth.js';
import { decodeFrame } from './redis-frame.js';
import { SenderWindow } from './sender-window.js';
import type { NumberedFrame } from './sequence-tracker.js';

/** A frame that passed every check: its number, epoch, payload bytes and decoded message. */
export interface CheckedFrame extends NumberedFrame {
  readonly kind: 'numbered';
  readonly payload: Uint8Array;
  readonly decoded: BusEnvelope;
}

/** What {@link FrameIntake.take} makes of the bytes read from the channel. */
export type Intake =
  /** A bus message numbered by the publish script: the sequence tracker decides what comes next. */
  | CheckedFrame
  /**
   * A frame whose payload is not a bus message this instance reads (garbage, a newer wire version):
   * handed to the bus for its counters, never numbered, so it can neither fill nor open a gap.
   */
  | ({ readonly kind: 'unnumbered'; readonly payload: Uint8Array } & FrameNumber)
  /** Not a frame at all (another program's message): ignored. */
  | { readonly kind: 'not-a-frame' }
  /** No valid MAC under the bus's key: ignored. */
  | ({ readonly kind: 'unauthenticated' } & FrameNumber)
  /** A copy of an authentic payload already seen (a replay under another number): ignored. */
  | ({ readonly kind: 'replayed' } & FrameNumber);

/** The number and epoch a dropped frame's header claims (see SequenceTracker.claim). */
export interface FrameNumber {
  readonly seq: number;
  readonly epoch: string;
}

/**
 * The checks every frame read from the channel passes, in order, before its number may count: the
 * framing, the MAC (with a key), the payload (only a readable bus message is numbered: the publish
 * script only ever numbers those, so anything else is foreign and must not look like a gap), and,
 * with a key, the sender's own number (a replayed payload is dropped before its forged channel
 * number is looked at).
 */
export class FrameIntake {
  readonly #senders: SenderWindow | undefined;

  constructor(private readonly auth: FrameAuth | undefined) {
    this.#senders = auth && new SenderWindow();
  }

  /**
   * Checks `bytes`; never throws. `fromLog` marks an entry read back from the replay log: its
   * number is bound to the log's entry id, which PUBLISH cannot forge, and it is often older than
   * payloads of the same sender already taken live, so the sender's number is recorded but not
   * held against it (the tracker drops what was delivered twice).
   */
  take(bytes: Uint8Array, fromLog = false): Intake {
    const frame = decodeFrame(bytes);
    if (!frame) return { kind: 'not-a-frame' };
    const payload = this.auth ? this.auth.open(frame.body) : frame.body;
    const { seq, epoch } = frame;
    if (!payload) return { kind: 'unauthenticated', seq, epoch };
    const decoded = decodeBusPayload(payload);
    if (decoded.kind !== 'message') return { kind: 'unnumbered', payload, seq, epoch };
    if (this.#senders && !this.#senders.accept(decoded.sender, decoded.seq) && !fromLog) {
      return { kind: 'replayed', seq, epoch };
    }
    return { kind: 'numbered', seq, epoch, payload, decoded };
  }
}
