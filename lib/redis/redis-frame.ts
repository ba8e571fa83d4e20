/**
 * The frame every message travels in on the Redis channel: two magic bytes (`HC`), the message's
 * 8-byte big-endian sequence number, then the bus payload unchanged. The publish script
 * (redis-scripts.ts) builds the frame inside Redis, so the number and the PUBLISH are one step.
 */

/** Bytes before the payload: the magic `HC` and the sequence number. */
export const FRAME_HEADER_BYTES = 10;

const MAGIC_0 = 0x48; // 'H'
const MAGIC_1 = 0x43; // 'C'

/** A well-formed frame: its global sequence number and the bus payload it carries. */
export interface Frame {
  readonly seq: number;
  readonly payload: Uint8Array;
}

/**
 * Reads a frame, or returns `undefined` when `bytes` is not one of ours (too short, foreign magic,
 * or a sequence number that is zero or beyond 2^53, which the publish script never produces).
 */
export function decodeFrame(bytes: Uint8Array): Frame | undefined {
  if (bytes.length < FRAME_HEADER_BYTES || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seq = view.getBigUint64(2, false);
  if (seq === 0n || seq > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { seq: Number(seq), payload: bytes.subarray(FRAME_HEADER_BYTES) };
}

/** Builds a frame the way the publish script does; for tests and fixtures. */
export function encodeFrame(seq: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  bytes[0] = MAGIC_0;
  bytes[1] = MAGIC_1;
  new DataView(bytes.buffer).setBigUint64(2, BigInt(seq), false);
  bytes.set(payload, FRAME_HEADER_BYTES);
  return bytes;
}
