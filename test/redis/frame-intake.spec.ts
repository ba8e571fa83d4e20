import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { encodeBusPayload } from '../../lib/core/bus/bus-wire.js';
import { FrameAuth } from '../../lib/redis/frame-auth.js';
import { FrameIntake } from '../../lib/redis/frame-intake.js';
import { encodeFrame } from '../../lib/redis/redis-frame.js';

const EPOCH = '1733000000.1';
const auth = new FrameAuth(randomBytes(32), [], 'hydracache:v1:c');
const sender = randomBytes(16);
const frame = (channelSeq: number, senderSeq: number): Uint8Array =>
  encodeFrame(
    channelSeq,
    EPOCH,
    auth.seal(encodeBusPayload(sender, senderSeq, { type: 'keys', keys: [`k${senderSeq}`] })),
  );

describe('FrameIntake with a key', () => {
  it("drops a payload seen before, even renumbered, but takes the log's older entries after newer live ones", () => {
    const intake = new FrameIntake(auth);
    expect(intake.take(frame(100, 100)).kind).toBe('numbered');
    expect(intake.take(frame(101, 100)).kind).toBe('replayed'); // the same payload, renumbered
    // A reconnect: 50 entries from before the subscribe, read back after the live frame above.
    for (let n = 50; n < 100; n++) expect(intake.take(frame(n, n), true).kind).toBe('numbered');
    expect(intake.take(frame(102, 60)).kind).toBe('replayed'); // now seen: a copy off the channel
  });
});
