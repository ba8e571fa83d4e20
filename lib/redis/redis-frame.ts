/**
 * The frame every message travels in on the Redis channel: two magic bytes (`HC`), the message's
 * 8-byte big-endian sequence number, the counter's epoch (one length byte, then its ASCII text),
 * then the body: the bus payload, followed by its MAC when the bus has a key (frame-auth.ts). The
 * publish script (redis-scripts.ts) builds the header inside Redis, so the number and the PUBLISH
 * are one step.
 */

/** Bytes before the epoch: the magic `HC` and the sequence number. */
export const FRAME_SEQ_BYTES = 10;

/** Longest epoch text a frame may carry. */
const MAX_EPOCH_BYTES = 64;

const MAGIC_0 = 0x48; // 'H'
const MAGIC_1 = 0x43; // 'C'

/** A well-formed frame: its sequence number, the counter epoch it was numbered in, and its body. */
export interface Frame {
  readonly seq: number;
  /** The epoch of the channel's counter (`<seconds>.<microseconds>` of Redis' TIME at creation). */
  readonly epoch: string;
  /** The bus payload, with its MAC appended when the publisher has a key. */
  readonly body: Uint8Array;
}

/**
 * Reads a frame, or returns `undefined` when `bytes` is not one of ours (too short, foreign magic,
 * a sequence number that is zero or beyond 2^53, or no epoch), which the publish script never
 * produces.
 */
export function decodeFrame(bytes: Uint8Array): Frame | undefined {
  if (bytes.length < FRAME_SEQ_BYTES + 2 || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) {
    return undefined;
  }
  // Read by hand, not with a DataView and getBigUint64: nothing allocated but the result.
  const high = ((bytes[2]! << 24) >>> 0) + ((bytes[3]! << 16) | (bytes[4]! << 8) | bytes[5]!);
  const low = ((bytes[6]! << 24) >>> 0) + ((bytes[7]! << 16) | (bytes[8]! << 8) | bytes[9]!);
  if (high > 0x1fffff || (high === 0 && low === 0)) return undefined;
  const epochLength = bytes[FRAME_SEQ_BYTES]!;
  const bodyStart = FRAME_SEQ_BYTES + 1 + epochLength;
  if (epochLength === 0 || epochLength > MAX_EPOCH_BYTES || bytes.length < bodyStart) {
    return undefined;
  }
  return {
    seq: high * 0x1_0000_0000 + low,
    epoch: latin1(bytes, FRAME_SEQ_BYTES + 1, bodyStart),
    body: bytes.subarray(bodyStart),
  };
}

/** Builds a frame the way the publish script does; for tests and fixtures. */
export function encodeFrame(seq: number, epoch: string, body: Uint8Array): Uint8Array {
  const epochBytes = Buffer.from(epoch, 'latin1');
  const bytes = new Uint8Array(FRAME_SEQ_BYTES + 1 + epochBytes.length + body.length);
  bytes[0] = MAGIC_0;
  bytes[1] = MAGIC_1;
  new DataView(bytes.buffer).setBigUint64(2, BigInt(seq), false);
  bytes[FRAME_SEQ_BYTES] = epochBytes.length;
  bytes.set(epochBytes, FRAME_SEQ_BYTES + 1);
  bytes.set(body, FRAME_SEQ_BYTES + 1 + epochBytes.length);
  return bytes;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.isBuffer(bytes)
    ? bytes.toString('latin1', start, end)
    : Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
