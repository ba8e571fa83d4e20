import type { BusMessage } from './bus-message.types.js';
import type { BusEnvelope } from './bus-wire.js';

/**
 * The fast paths of `encodeBusPayload` and `decodeBusPayload` (bus-wire.ts). The encoder writes a
 * payload with ASCII keys or tags straight into one buffer, byte for byte what cbor-x writes (the
 * frozen fixtures and a property test hold it to that); anything else goes through cbor-x. The
 * decoder reads a wire-version-1 payload laid out
 * exactly as `encodeBusPayload` writes it, with ASCII keys or tags, without the general CBOR
 * decoder (no intermediate arrays, no Buffer copies; a receiver reads one payload per invalidation,
 * so what it allocates decides how often it collects garbage). Anything else, including every
 * malformed payload, returns `undefined` and goes through the strict decoder, which has the last
 * word: this path only ever accepts what that one would decode to the same value.
 */

// [version 1, 16-byte sender, seq, type, items]: 0x85|0x84, 0x01, 0x50, 16 bytes, ...
const SENDER_START = 3;
const SENDER_END = 19;

/** Encodes `message` when its items are ASCII; `undefined` leaves it to cbor-x. */
export function encodeCanonicalPayload(
  sender: Uint8Array,
  seq: number,
  message: BusMessage,
): Buffer | undefined {
  if (sender.byteLength !== 16 || !Number.isSafeInteger(seq) || seq < 1 || seq > 0xffffffff) {
    return undefined;
  }
  const items =
    message.type === 'keys' ? message.keys : message.type === 'tags' ? message.tags : [];
  let size = SENDER_END + uintBytes(seq) + 1;
  if (message.type !== 'flush') {
    if (items.length === 0 || items.length > 0xffff) return undefined;
    size += uintBytes(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.length > 0xffff) return undefined;
      for (let j = 0; j < item.length; j++) if (item.charCodeAt(j) >= 0x80) return undefined;
      size += uintBytes(item.length) + item.length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = message.type === 'flush' ? 0x84 : 0x85;
  out[1] = 0x01;
  out[2] = 0x50;
  out.set(sender, SENDER_START);
  let at = writeUint(out, SENDER_END, 0x00, seq);
  out[at++] = message.type === 'keys' ? 0x00 : message.type === 'tags' ? 0x01 : 0x02;
  if (message.type === 'flush') return out;
  at = writeUint(out, at, 0x80, items.length);
  for (const item of items) {
    at = writeUint(out, at, 0x60, item.length);
    at += out.write(item, at, 'latin1');
  }
  return out;
}

/** Bytes of a CBOR head carrying `n` (< 2^32) in its shortest form. */
function uintBytes(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

/** Writes a CBOR head of major type `major` (0x00 uint, 0x60 text, 0x80 array) for `n`. */
function writeUint(out: Buffer, at: number, major: number, n: number): number {
  if (n < 24) {
    out[at] = major | n;
    return at + 1;
  }
  if (n < 0x100) {
    out[at] = major | 0x18;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    out[at] = major | 0x19;
    out.writeUInt16BE(n, at + 1);
    return at + 3;
  }
  out[at] = major | 0x1a;
  out.writeUInt32BE(n, at + 1);
  return at + 5;
}

/** Decodes a canonical payload, or returns `undefined` to leave it to the strict decoder. */
export function decodeCanonicalPayload(
  payload: Uint8Array,
  maxItems: number,
): BusEnvelope | undefined {
  const head = payload[0];
  if ((head !== 0x85 && head !== 0x84) || payload[1] !== 0x01 || payload[2] !== 0x50) {
    return undefined;
  }
  let at = SENDER_END;
  // The sequence number: a CBOR unsigned integer of up to 32 bits, >= 1.
  const seqHead = payload[at++];
  let seq: number;
  if (seqHead === undefined) return undefined;
  if (seqHead <= 0x17) seq = seqHead;
  else if (seqHead === 0x18) seq = payload[at++]!;
  else if (seqHead === 0x19) {
    seq = (payload[at]! << 8) | payload[at + 1]!;
    at += 2;
  } else if (seqHead === 0x1a) {
    seq =
      ((payload[at]! << 24) >>> 0) +
      ((payload[at + 1]! << 16) | (payload[at + 2]! << 8) | payload[at + 3]!);
    at += 4;
  } else return undefined;
  if (!(seq >= 1) || at >= payload.length) return undefined;
  const type = payload[at++];
  const sender = hex(payload, SENDER_START, SENDER_END);
  if (type === 0x02) {
    return head === 0x84 && at === payload.length
      ? { kind: 'message', sender, seq, message: { type: 'flush' } }
      : undefined;
  }
  if (head !== 0x85 || (type !== 0x00 && type !== 0x01)) return undefined;
  const items = readAsciiTexts(payload, at, maxItems);
  if (items === undefined) return undefined;
  return {
    kind: 'message',
    sender,
    seq,
    message: type === 0x00 ? { type: 'keys', keys: items } : { type: 'tags', tags: items },
  };
}

/** An array of 1..maxItems ASCII text strings ending exactly at the end of `payload`. */
function readAsciiTexts(
  payload: Uint8Array,
  start: number,
  maxItems: number,
): string[] | undefined {
  let at = start;
  const head = payload[at++];
  let count: number;
  if (head === undefined) return undefined;
  if (head >= 0x81 && head <= 0x97) count = head - 0x80;
  else if (head === 0x98) count = payload[at++]!;
  else if (head === 0x99) {
    count = (payload[at]! << 8) | payload[at + 1]!;
    at += 2;
  } else return undefined;
  if (!(count >= 1) || count > maxItems) return undefined;
  const items = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const textHead = payload[at++];
    let length: number;
    if (textHead === undefined) return undefined;
    if (textHead >= 0x60 && textHead <= 0x77) length = textHead - 0x60;
    else if (textHead === 0x78) length = payload[at++]!;
    else if (textHead === 0x79) {
      length = (payload[at]! << 8) | payload[at + 1]!;
      at += 2;
    } else return undefined;
    const end = at + length;
    if (!(end <= payload.length)) return undefined;
    for (let j = at; j < end; j++) if (payload[j]! >= 0x80) return undefined;
    items[i] = latin1(payload, at, end);
    at = end;
  }
  return at === payload.length ? items : undefined;
}

function hex(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.isBuffer(bytes)
    ? bytes.toString('hex', start, end)
    : Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex');
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.isBuffer(bytes)
    ? bytes.toString('latin1', start, end)
    : Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
