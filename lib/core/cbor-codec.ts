import { Encoder } from 'cbor-x';
import { CacheErrors } from './cache.errors.js';
import { decoding, registerExactTags } from './exact-tags.js';
import { PrototypeRegistry } from './prototype-registry.js';
import { snapshot } from './value-snapshot.js';

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
  /**
   * Exact round trips: class instances (nested ones too) come back with their prototypes, Errors
   * with their class and own properties, and -0, lone surrogates, array holes, own `__proto__`
   * keys and Buffers survive (README, "Round trips"). Prototypes are remembered by this codec
   * instance, not serialized, so an encoding decodes only with the codec that made it.
   * Default: the value of `sharedStructures` (a cache built without a codec: true).
   */
  exact?: boolean;
  /**
   * With `exact`, how many distinct prototypes this codec keeps (each held for its lifetime);
   * encoding an instance of one more fails (`E_ENCODE` in a cache). Default: 4096.
   */
  maxPrototypes?: number;
  /**
   * Classes whose instances come back as instances in *any* process (a second tier shared by
   * several): their prototypes are numbered by their place in this list, so every process must
   * list the same classes in the same order. Implies `exact`; the built-in Error classes are
   * always known; an instance of a class not listed comes back as its nearest listed ancestor (a
   * plain object at worst). Default: none.
   */
  classes?: readonly (abstract new (...args: never[]) => unknown)[];
}

/** Error prototypes every portable exact codec knows, before the listed classes. */
const ERROR_PROTOTYPES = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
].map((type) => type.prototype);

/** Default of {@link CborCodecOptions.maxPrototypes}. */
const MAX_PROTOTYPES = 4_096;

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
 * Errors and `undefined` inside objects; decoded typed arrays are copies, never views of the
 * stored bytes. With `exact` (a cache's default), class instances keep their prototypes and the
 * other values plain CBOR changes survive; without it, class instances come back as plain objects
 * and each encoding is self-contained, so it decodes anywhere. The value is read once, into a
 * snapshot (value-snapshot.ts), before cbor-x runs: getters may use the cache meanwhile.
 */
export class CborCodec implements Codec {
  readonly #encoder: Encoder;
  /** Prototypes seen, with `exact`; undefined otherwise. */
  readonly #registry: PrototypeRegistry | undefined;
  /** Reused decode input for packed entries; cbor-x caches its DataView on it. */
  readonly #scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  #scratchBusy = false;
  readonly #shared: boolean;

  constructor(options: CborCodecOptions = {}) {
    this.#shared = options.sharedStructures === true;
    this.#encoder = options.sharedStructures
      ? new Encoder({ structures: [], copyBuffers: true })
      : new Encoder({ copyBuffers: true });
    const max = options.maxPrototypes ?? MAX_PROTOTYPES;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw CacheErrors.invalidOption('maxPrototypes', 'a non-negative integer', max);
    }
    const classes = options.classes;
    if (
      classes !== undefined &&
      (!Array.isArray(classes) || classes.some((c) => typeof c !== 'function'))
    ) {
      throw CacheErrors.invalidOption('classes', 'an array of classes', classes);
    }
    const exact = classes !== undefined || (options.exact ?? options.sharedStructures === true);
    const fixed = classes && [...ERROR_PROTOTYPES, ...classes.map((c) => c.prototype as object)];
    this.#registry = exact ? new PrototypeRegistry(max, fixed) : undefined;
    if (exact) registerExactTags();
  }

  /** Encodes a value to CBOR. */
  encode(value: unknown): Uint8Array {
    return this.#encoder.encode(snapshot(value, this.#registry));
  }

  /** Decodes CBOR produced by `encode`. */
  decode(bytes: Uint8Array): unknown {
    const outer = decoding.registry;
    decoding.registry = this.#registry;
    try {
      return this.#encoder.decode(bytes);
    } finally {
      decoding.registry = outer;
    }
  }

  /**
   * Internal: encodes for storage inside a cache. Small encodings become a one-byte (latin1)
   * string, one compact heap object per entry, instead of a view into cbor-x's shared output
   * buffer (which keeps that buffer alive, and gains a DataView on its first decode); larger ones
   * are copied into bytes of their own.
   */
  pack(value: unknown): string | Uint8Array {
    const bytes: Uint8Array = this.encode(value);
    // A copy (Buffer#slice would be a view): the entry must not keep cbor-x's output buffer alive.
    if (bytes.length > MAX_PACKED_BYTES) return Uint8Array.prototype.slice.call(bytes);
    // cbor-x returns a Buffer on Node; its latin1 conversion is native.
    return Buffer.isBuffer(bytes)
      ? bytes.toString('latin1')
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  }

  /** Internal: decodes what {@link pack} returned. */
  unpack(data: string | Uint8Array): unknown {
    if (typeof data !== 'string') return this.decode(data);
    const length = data.length;
    if (length > SCRATCH_BYTES || this.#scratchBusy) {
      // Large, or re-entrant (a cbor-x extension reading the cache): bytes of its own.
      return this.decode(Buffer.from(data, 'latin1'));
    }
    const scratch = this.#scratch;
    if (length <= 128) {
      for (let i = 0; i < length; i++) scratch[i] = data.charCodeAt(i);
    } else {
      scratch.write(data, 0, length, 'latin1');
    }
    this.#scratchBusy = true;
    const outer = decoding.registry;
    decoding.registry = this.#registry;
    try {
      return (this.#encoder as unknown as DecodeUpTo).decode(scratch, length);
    } finally {
      this.#scratchBusy = false;
      decoding.registry = outer;
    }
  }

  /** Internal: the stored form {@link pack} gives the encoding `bytes` (from a second tier). */
  static fromBytes(bytes: Uint8Array): string | Uint8Array {
    // A copy: the bytes may be a view into a connection's read buffer.
    if (bytes.length > MAX_PACKED_BYTES) return Uint8Array.prototype.slice.call(bytes);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  }

  /**
   * True when an encoding decodes in any process with the same codec settings (no shared record
   * structures, prototype ids only from a fixed `classes` list): what a second tier needs.
   */
  get portable(): boolean {
    return !this.#shared && (this.#registry === undefined || this.#registry.closed);
  }

  /** Internal: the encoded size of what {@link pack} returned, in bytes. */
  static packedSize(data: string | Uint8Array): number {
    return typeof data === 'string' ? data.length : data.byteLength;
  }
}
