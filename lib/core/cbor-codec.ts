import { Encoder } from 'cbor-x';

/** Turns values into bytes and back. Every read decodes, so callers never share a cached object. */
export interface Codec {
  /** Encodes a value; throws when the value cannot be represented. */
  encode(value: unknown): Uint8Array;
  /** Decodes bytes produced by `encode` into a fresh value. */
  decode(bytes: Uint8Array): unknown;
}

/** Options of {@link CborCodec}. */
export interface CborCodecOptions {
  /**
   * Share cbor-x record structures (the key lists of objects) between encodings, kept by this
   * codec instance: smaller entries and about 2-3x faster decoding, but an encoding decodes only
   * with the codec that made it. Safe inside one cache, whose entries never leave the process.
   * Default: false (each encoding is self-contained); a cache built without a codec uses true.
   */
  sharedStructures?: boolean;
}

/** cbor-x's decode also takes the end of the data within `source` (not in its typings). */
interface DecodeUpTo {
  decode(source: Uint8Array, end: number): unknown;
}

/** Encodings up to this size are stored as compact strings (see {@link CborCodec.pack}). */
const MAX_PACKED_BYTES = 64 * 1024;
/** Packed entries up to this size decode from one reused buffer instead of a fresh copy. */
const SCRATCH_BYTES = 8 * 1024;

/**
 * The default codec: CBOR through cbor-x. Keeps Dates, Maps, Sets, typed arrays, bigints, RegExps,
 * Errors and `undefined` inside objects; class instances come back as plain objects; decoded typed
 * arrays are copies, never views of the stored bytes. By default each encoding is self-contained
 * (record structures are not shared between entries), so any entry decodes alone.
 */
export class CborCodec implements Codec {
  readonly #encoder: Encoder;
  /** Reused decode input for packed entries; cbor-x caches its DataView on it. */
  readonly #scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  #scratchBusy = false;

  constructor(options: CborCodecOptions = {}) {
    this.#encoder = options.sharedStructures
      ? new Encoder({ structures: [], copyBuffers: true })
      : new Encoder({ copyBuffers: true });
  }

  /** Encodes a value to CBOR. */
  encode(value: unknown): Uint8Array {
    return this.#encoder.encode(value);
  }

  /** Decodes CBOR produced by `encode`. */
  decode(bytes: Uint8Array): unknown {
    return this.#encoder.decode(bytes);
  }

  /**
   * Internal: encodes for storage inside a cache. Small encodings become a one-byte (latin1)
   * string, one compact heap object per entry, instead of a view into cbor-x's shared output
   * buffer (which keeps that buffer alive, and gains a DataView on its first decode); larger ones
   * are copied into bytes of their own.
   */
  pack(value: unknown): string | Uint8Array {
    const bytes: Uint8Array = this.#encoder.encode(value);
    // A copy (Buffer#slice would be a view): the entry must not keep cbor-x's output buffer alive.
    if (bytes.length > MAX_PACKED_BYTES) return Uint8Array.prototype.slice.call(bytes);
    // cbor-x returns a Buffer on Node; its latin1 conversion is native.
    return Buffer.isBuffer(bytes)
      ? bytes.toString('latin1')
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  }

  /** Internal: decodes what {@link pack} returned. */
  unpack(data: string | Uint8Array): unknown {
    if (typeof data !== 'string') return this.#encoder.decode(data);
    const length = data.length;
    if (length > SCRATCH_BYTES || this.#scratchBusy) {
      // Large, or re-entrant (a cbor-x extension reading the cache): bytes of its own.
      return this.#encoder.decode(Buffer.from(data, 'latin1'));
    }
    const scratch = this.#scratch;
    if (length <= 128) {
      for (let i = 0; i < length; i++) scratch[i] = data.charCodeAt(i);
    } else {
      scratch.write(data, 0, length, 'latin1');
    }
    this.#scratchBusy = true;
    try {
      return (this.#encoder as unknown as DecodeUpTo).decode(scratch, length);
    } finally {
      this.#scratchBusy = false;
    }
  }

  /** Internal: the encoded size of what {@link pack} returned, in bytes. */
  static packedSize(data: string | Uint8Array): number {
    return typeof data === 'string' ? data.length : data.byteLength;
  }
}
