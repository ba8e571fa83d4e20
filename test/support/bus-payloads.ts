import { randomBytes } from 'node:crypto';
import {
  decodeBusPayload,
  encodeBusPayload,
  SENDER_ID_BYTES,
} from '../../lib/core/bus/bus-wire.js';

const sender = randomBytes(SENDER_ID_BYTES);
let seq = 0;

/**
 * A real bus payload carrying `text` as its one key, from a test sender numbering its payloads
 * 1, 2, 3...: what a transport test publishes, since the Redis transport only numbers bus messages.
 */
export function wire(text: string): Uint8Array {
  return encodeBusPayload(sender, ++seq, { type: 'keys', keys: [text] });
}

/** The text {@link wire} put in `payload`, or the payload read as UTF-8 when it is not one. */
export function textOf(payload: Uint8Array): string {
  const decoded = decodeBusPayload(payload);
  if (decoded.kind === 'message' && decoded.message.type === 'keys') {
    return decoded.message.keys.join(',');
  }
  return Buffer.from(payload).toString();
}
