import { CborCodec, type Codec } from '../../lib/index.js';

/**
 * A CBOR codec that can be told to fail its next decodes or encodes, to exercise the cache's
 * `E_DECODE` / `E_ENCODE` paths with values that are otherwise perfectly valid.
 */
export class FaultyCodec implements Codec {
  readonly #inner = new CborCodec();
  /** How many of the next `decode` calls throw {@link decodeError} (`Infinity`: all of them). */
  failDecodes = 0;
  /** How many of the next `encode` calls throw {@link encodeError}. */
  failEncodes = 0;
  readonly decodeError = new Error('corrupt bytes');
  readonly encodeError = new Error('cannot encode this');
  encodes = 0;
  decodes = 0;

  encode(value: unknown): Uint8Array {
    this.encodes++;
    if (this.failEncodes > 0) {
      this.failEncodes--;
      throw this.encodeError;
    }
    return this.#inner.encode(value);
  }

  decode(bytes: Uint8Array): unknown {
    this.decodes++;
    if (this.failDecodes > 0) {
      this.failDecodes--;
      throw this.decodeError;
    }
    return this.#inner.decode(bytes);
  }
}
