import { CacheErrors } from './cache.errors.js';
import { CborCodec, type Codec } from './cbor-codec.js';
import type { LoadOutcome } from './in-flight.js';
import { copyByPlan, planCopy } from './plain-copy.js';

/**
 * How a cache keeps values and hands them out: encoded with its codec for storage, decoded afresh
 * for every reader, and, for the callers that share one load, copied from one decoded template.
 * With no codec (`noCopy`), values are kept and handed out by reference.
 */
export class StoredValues {
  readonly #codec: Codec | null;
  /** The codec when it is exactly a CborCodec: entries are then stored packed (compact strings). */
  readonly #cbor: CborCodec | undefined;

  constructor(codec: Codec | null) {
    this.#codec = codec;
    this.#cbor =
      codec !== null && Object.getPrototypeOf(codec) === CborCodec.prototype
        ? (codec as CborCodec)
        : undefined;
  }

  /** True when values are kept by reference (`noCopy`): every caller of a load gets the same one. */
  get byReference(): boolean {
    return this.#codec === null;
  }

  /** The stored form of `value`; throws `E_ENCODE` naming `key` when the codec refuses it. */
  encode(key: string, value: unknown): unknown {
    const codec = this.#codec;
    if (codec === null) return value;
    try {
      return this.#cbor === undefined ? codec.encode(value) : this.#cbor.pack(value);
    } catch (cause) {
      throw CacheErrors.encode(key, cause);
    }
  }

  /** A reader's own value from stored `data`; throws the codec's own error. */
  decode(data: unknown): unknown {
    if (this.#cbor !== undefined) return this.#cbor.unpack(data as string | Uint8Array);
    const codec = this.#codec;
    return codec === null ? data : codec.decode(data as Uint8Array);
  }

  /** The stored size of `data` in bytes; 0 when values are kept by reference. */
  byteLength(data: unknown): number {
    return this.#codec === null ? 0 : CborCodec.packedSize(data as string | Uint8Array);
  }

  /**
   * The bytes of stored `data`, for a second tier: the codec's own encoding, never a second
   * serialisation (a packed entry is latin1 text of those bytes). Undefined with no codec.
   */
  bytesOf(data: unknown): Uint8Array | undefined {
    if (this.#codec === null) return undefined;
    return typeof data === 'string' ? Buffer.from(data, 'latin1') : (data as Uint8Array);
  }

  /** The stored form of `bytes` a second tier returned (what {@link bytesOf} was given). */
  fromBytes(bytes: Uint8Array): unknown {
    if (this.#cbor === undefined) return bytes;
    return CborCodec.fromBytes(bytes);
  }

  /**
   * A caller's own copy of a load's value. With the built-in codec, callers after the first get
   * clones of a private decoded template when it is plain data (see plain-copy.ts): a stampede of
   * thousands of joiners then decodes twice instead of once per caller.
   */
  copyOf(outcome: LoadOutcome): unknown {
    if (outcome.data === undefined) return undefined;
    const key = outcome.key;
    const served = (outcome.served ?? 0) + 1;
    outcome.served = served;
    if (served === 1 && outcome.first !== undefined) {
      const first = outcome.first;
      outcome.first = undefined;
      return first;
    }
    if (served === 1 || this.#cbor === undefined) return this.#decodeFor(key, outcome.data);
    if (outcome.plan === undefined) {
      outcome.template = this.#decodeFor(key, outcome.data);
      outcome.plan = planCopy(outcome.template) ?? false;
    }
    return outcome.plan === false
      ? this.#decodeFor(key, outcome.data)
      : copyByPlan(outcome.plan, outcome.template);
  }

  /** {@link decode}, with a failure reported as `E_DECODE` naming `key`. */
  #decodeFor(key: string, data: unknown): unknown {
    try {
      return this.decode(data);
    } catch (cause) {
      throw CacheErrors.decode(key, cause);
    }
  }
}
