import { Encoder } from 'cbor-x';

/** Turns values into bytes and back. Every read decodes, so callers never share a cached object. */
export interface Codec {
  /** Encodes a value; throws when the value cannot be represented. */
  encode(value: unknown): Uint8Array;
  /** Decodes bytes produced by `encode` into a fresh value. */
  decode(bytes: Uint8Array): unknown;
}

/**
 * The default codec: CBOR through cbor-x. Keeps Dates, Maps, Sets, typed arrays, bigints, RegExps,
 * Errors and `undefined` inside objects; class instances come back as plain objects. Each encoding
 * is self-contained (record structures are not shared between entries), so any entry decodes alone.
 */
export class CborCodec implements Codec {
  readonly #encoder = new Encoder();

  /** Encodes a value to CBOR. */
  encode(value: unknown): Uint8Array {
    return this.#encoder.encode(value);
  }

  /** Decodes CBOR produced by `encode`. */
  decode(bytes: Uint8Array): unknown {
    return this.#encoder.decode(bytes);
  }
}
