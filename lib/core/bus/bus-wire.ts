import { Encoder } from 'cbor-x';
import type { BusMessage } from './bus-message.types.js';
import { decodeCanonicalPayload, encodeCanonicalPayload } from './canonical-payload.js';

/**
 * The bus wire format version. It is the first field of every payload, and transports put it in
 * their channel name, so two versions can run side by side during a rolling deploy.
 */
export const WIRE_VERSION = 1;

/** Most keys or tags one payload carries; longer messages are split by {@link splitForWire}. */
export const MAX_WIRE_ITEMS = 1000;

/** Largest payload in bytes a receiver accepts; the sender keeps its payloads under it. */
export const MAX_WIRE_BYTES = 512 * 1024;

/** Bytes in a sender id. */
export const SENDER_ID_BYTES = 16;

/** A decoded payload: who sent which message, as its `seq`-th payload (1, 2, 3...). */
export interface BusEnvelope {
  readonly kind: 'message';
  /** The sender id, lowercase hex. */
  readonly sender: string;
  /** The sender's sequence number, contiguous per sender from 1. */
  readonly seq: number;
  readonly message: BusMessage;
}

/** What {@link decodeBusPayload} makes of a payload; it never throws. */
export type DecodedPayload =
  | BusEnvelope
  /** Not a payload of this format (not CBOR, wrong shape or types, too large, trailing bytes). */
  | { readonly kind: 'malformed'; readonly reason: string }
  /** A payload of a newer wire version, which this instance cannot read. */
  | { readonly kind: 'unknown-version'; readonly version: number };

// Layout (a CBOR array): [version, sender (16-byte byte string), seq, type, items (text strings)],
// where type is 0 = keys, 1 = tags, 2 = flush (which has no items field). Fixtures in
// test/core/bus/bus-wire.spec.ts freeze the bytes; a change to this layout needs a new version.
const TYPE_KEYS = 0;
const TYPE_TAGS = 1;
const TYPE_FLUSH = 2;

// Its own encoder: no shared record structures (each payload decodes alone), byte strings untagged.
const encoder = new Encoder({ useRecords: false, tagUint8Array: false });

/** Encodes one message; it must fit the wire (see {@link splitForWire}). */
export function encodeBusPayload(sender: Uint8Array, seq: number, message: BusMessage): Uint8Array {
  const canonical = encodeCanonicalPayload(sender, seq, message);
  if (canonical) return canonical;
  return encodeWithCbor(sender, seq, message);
}

/** The general encoder alone; exported for the test that holds the fast path to its bytes. */
export function encodeWithCbor(sender: Uint8Array, seq: number, message: BusMessage): Uint8Array {
  const fields: unknown[] =
    message.type === 'flush'
      ? [WIRE_VERSION, sender, seq, TYPE_FLUSH]
      : message.type === 'keys'
        ? [WIRE_VERSION, sender, seq, TYPE_KEYS, message.keys]
        : [WIRE_VERSION, sender, seq, TYPE_TAGS, message.tags];
  // A copy: cbor-x returns a view into its reused output buffer, and transports may keep payloads.
  return Uint8Array.prototype.slice.call(encoder.encode(fields));
}

/** Decodes a payload strictly; anything that is not exactly this format is `malformed`. */
export function decodeBusPayload(payload: Uint8Array): DecodedPayload {
  if (!(payload instanceof Uint8Array)) return malformed('not bytes');
  if (payload.byteLength > MAX_WIRE_BYTES) return malformed(`over ${MAX_WIRE_BYTES} bytes`);
  return decodeCanonicalPayload(payload, MAX_WIRE_ITEMS) ?? decodeCbor(payload);
}

/**
 * The strict decoder alone (the general CBOR path); {@link decodeBusPayload} tries the canonical
 * fast path first. Exported for the test that holds the two to the same answers.
 */
export function decodeStrictly(payload: Uint8Array): DecodedPayload {
  if (!(payload instanceof Uint8Array)) return malformed('not bytes');
  if (payload.byteLength > MAX_WIRE_BYTES) return malformed(`over ${MAX_WIRE_BYTES} bytes`);
  return decodeCbor(payload);
}

function decodeCbor(payload: Uint8Array): DecodedPayload {
  let fields: unknown;
  try {
    fields = encoder.decode(payload); // throws on trailing bytes too
  } catch {
    return malformed('not CBOR');
  }
  if (!Array.isArray(fields) || fields.length === 0) return malformed('not an array');
  const version = fields[0];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return malformed('no version');
  }
  if (version > WIRE_VERSION) return { kind: 'unknown-version', version };
  return decodeFields(fields);
}

function decodeFields(fields: unknown[]): DecodedPayload {
  const [, sender, seq, type, items] = fields;
  if (!(sender instanceof Uint8Array) || sender.byteLength !== SENDER_ID_BYTES) {
    return malformed('bad sender id');
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return malformed('bad sequence number');
  }
  const envelope = (message: BusMessage): BusEnvelope => ({
    kind: 'message',
    sender: Buffer.from(sender.buffer, sender.byteOffset, sender.byteLength).toString('hex'),
    seq,
    message,
  });
  if (type === TYPE_FLUSH) {
    return fields.length === 4 ? envelope({ type: 'flush' }) : malformed('extra fields');
  }
  if (type !== TYPE_KEYS && type !== TYPE_TAGS) return malformed('unknown message type');
  if (fields.length !== 5) return malformed('wrong number of fields');
  if (!isItemList(items)) return malformed('bad keys or tags');
  return envelope(
    type === TYPE_KEYS ? { type: 'keys', keys: items } : { type: 'tags', tags: items },
  );
}

function isItemList(items: unknown): items is string[] {
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_WIRE_ITEMS) return false;
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'string') return false;
  return true;
}

function malformed(reason: string): DecodedPayload {
  return { kind: 'malformed', reason };
}

function fitsOnePayload(items: readonly string[]): boolean {
  if (items.length > MAX_WIRE_ITEMS) return false;
  let bytes = ENVELOPE_BYTES;
  for (let i = 0; i < items.length; i++) bytes += Buffer.byteLength(items[i]!) + 9;
  return bytes <= MAX_WIRE_BYTES;
}

/** Room left in a payload for everything but the items (version, sender, seq, type, headers). */
const ENVELOPE_BYTES = 64;

/**
 * Splits a message into messages that each fit the wire: at most {@link MAX_WIRE_ITEMS} items and
 * under {@link MAX_WIRE_BYTES} encoded. A message with one item too large for any payload becomes a
 * flush: the receivers must drop it somehow, and a flush is the one message that covers it.
 * Empty messages give nothing to send.
 */
export function splitForWire(message: BusMessage): BusMessage[] {
  if (message.type === 'flush') return [message];
  const items = message.type === 'keys' ? message.keys : message.tags;
  if (items.length === 0) return [];
  if (fitsOnePayload(items)) return [message]; // the common case, without copying
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const item of items) {
    const size = Buffer.byteLength(item) + 9; // a text string header is at most 9 bytes
    if (size + ENVELOPE_BYTES > MAX_WIRE_BYTES) return [{ type: 'flush' }];
    if (chunk.length === MAX_WIRE_ITEMS || bytes + size > MAX_WIRE_BYTES) {
      chunks.push(chunk);
      chunk = [];
      bytes = ENVELOPE_BYTES;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks.map((part) =>
    message.type === 'keys' ? { type: 'keys', keys: part } : { type: 'tags', tags: part },
  );
}
