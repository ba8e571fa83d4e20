import { createHmac, timingSafeEqual } from 'node:crypto';

/** Bytes of the MAC appended to a payload: a full HMAC-SHA256. */
export const MAC_BYTES = 32;

/** Shortest shared key accepted, in bytes (a string counts its UTF-8 bytes). */
export const MIN_KEY_BYTES = 32;

/**
 * Authenticates the bus's frames with a shared key: the publisher appends
 * HMAC-SHA256(key, context || payload) to the payload it hands to the publish script, and a
 * subscriber accepts a frame only when that MAC checks out under its key or one of the keys it
 * still accepts (rotation). The context binds the MAC to the Redis channel, so a frame copied from
 * another channel with the same key is rejected. The payload carries the sender's id and its own
 * sequence number, so both are covered; the channel-wide number and epoch are added by Redis after
 * signing and are checked by the sequence tracker instead (a copy with another number is caught by
 * the sender's own number, see sender-window.ts).
 */
export class FrameAuth {
  readonly #signingKey: Buffer;
  readonly #keys: readonly Buffer[];
  readonly #context: Buffer;

  constructor(signingKey: Buffer, acceptKeys: readonly Buffer[], redisChannel: string) {
    this.#signingKey = signingKey;
    this.#keys = [signingKey, ...acceptKeys];
    this.#context = Buffer.from(`hydracache-bus\0${redisChannel}\0`);
  }

  /** The payload followed by its MAC under the signing key. */
  seal(payload: Uint8Array): Buffer {
    return Buffer.concat([payload, this.#mac(this.#signingKey, payload)]);
  }

  /** The payload of a sealed body, or `undefined` when its MAC matches none of the keys. */
  open(body: Uint8Array): Uint8Array | undefined {
    if (body.length < MAC_BYTES) return undefined;
    const payload = body.subarray(0, body.length - MAC_BYTES);
    const mac = body.subarray(body.length - MAC_BYTES);
    for (const key of this.#keys) {
      if (timingSafeEqual(this.#mac(key, payload), mac)) return payload;
    }
    return undefined;
  }

  #mac(key: Buffer, payload: Uint8Array): Buffer {
    return createHmac('sha256', key).update(this.#context).update(payload).digest();
  }
}
