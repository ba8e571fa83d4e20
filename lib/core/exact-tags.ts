import { addExtension, Tag } from 'cbor-x';
import type { PrototypeRegistry } from './prototype-registry.js';

/**
 * The CBOR tags of exact round trips (see value-snapshot.ts for what emits them). Their numbers sit
 * in an unassigned range that cbor-x gives no meaning of its own (below its record tags at 0xdff9,
 * outside its packed-value ranges). cbor-x keeps tag decoders globally, so these decode the same
 * in any cbor-x decoder of the process; the ones naming a prototype need the registry of the codec
 * that is decoding (set in {@link decoding}) and otherwise come back as a cbor-x `Tag`, as an
 * unknown tag would.
 */
export const ExactTag = {
  /** `0`, standing for -0 (CBOR integers have no negative zero). */
  NEGATIVE_ZERO: 41_000,
  /** UTF-16LE bytes of a string that is not well-formed Unicode (a lone surrogate). */
  UTF16_STRING: 41_001,
  /** `[length, index, value, index, value, ...]`: an array with holes. */
  SPARSE_ARRAY: 41_002,
  /** `[prototypeId, object]`: an object whose prototype is not `Object.prototype`. */
  INSTANCE: 41_003,
  /** `[prototypeId, key, value, key, value, ...]`: an object with keys a CBOR map would change. */
  ENTRIES: 41_004,
  /** `[prototypeId, name, value, enumerable, ...]`: an Error with its own properties. */
  ERROR: 41_005,
  /** Bytes of a Node.js Buffer (CBOR byte strings decode as plain Uint8Arrays). */
  BUFFER: 41_006,
  /** Bytes of an ArrayBuffer (CBOR byte strings decode as Uint8Arrays). */
  ARRAY_BUFFER: 41_007,
} as const;

/** The registry of the codec decoding right now; set around each decode by the codec. */
export const decoding: { registry: PrototypeRegistry | undefined } = { registry: undefined };

/** -0 as cbor-x encodes it: a tag around 0. One shared instance (cbor-x only reads it). */
export const NEGATIVE_ZERO = new Tag(0, ExactTag.NEGATIVE_ZERO);

/** Registers how cbor-x decodes `tag` (decoding only: the snapshot emits the tags itself). */
function onTag<T>(tag: number, decode: (data: T) => unknown): void {
  addExtension({ tag, decode } as unknown as Parameters<typeof addExtension>[0]);
}

function bytesOf(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** The prototype `id` names for the decoding codec; undefined when no codec's registry is set. */
function prototypeFor(id: unknown): object | null | undefined {
  if (id === 0) return Object.prototype;
  if (id === 1) return null;
  return decoding.registry?.prototypeOf(id);
}

/** Sets `value` as an own data property, never through a setter (`__proto__` included). */
function defineField(target: object, key: unknown, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key as PropertyKey, {
    value,
    enumerable,
    writable: true,
    configurable: true,
  });
}

let registered = false;

/** Teaches cbor-x (process-wide, once) to decode the tags above; called by each exact codec. */
export function registerExactTags(): void {
  if (registered) return;
  registered = true;
  onTag(ExactTag.NEGATIVE_ZERO, () => -0);
  onTag(ExactTag.UTF16_STRING, (data: Uint8Array) => bytesOf(data).toString('utf16le'));
  onTag(ExactTag.BUFFER, (data: Uint8Array) => bytesOf(data));
  onTag(ExactTag.ARRAY_BUFFER, (data: Uint8Array) => new Uint8Array(data).buffer);

  onTag(ExactTag.SPARSE_ARRAY, (data: unknown[]) => {
    const array = new Array<unknown>(data[0] as number);
    for (let i = 1; i < data.length; i += 2) array[data[i] as number] = data[i + 1];
    return array;
  });

  onTag(ExactTag.INSTANCE, (data: [unknown, object]) => {
    const proto = prototypeFor(data[0]);
    if (proto === undefined) return new Tag(data, ExactTag.INSTANCE);
    return Object.setPrototypeOf(data[1], proto);
  });

  onTag(ExactTag.ENTRIES, (data: unknown[]) => {
    const proto = prototypeFor(data[0]);
    if (proto === undefined) return new Tag(data, ExactTag.ENTRIES);
    const object = Object.create(proto) as object;
    for (let i = 1; i < data.length; i += 2) defineField(object, data[i], data[i + 1], true);
    return object;
  });

  onTag(ExactTag.ERROR, (data: unknown[]) => {
    const proto = prototypeFor(data[0]);
    if (proto === undefined) return new Tag(data, ExactTag.ERROR);
    // A real Error (internal slot included), without paying for a stack trace it then replaces.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const error = new Error();
    Error.stackTraceLimit = limit;
    delete (error as { stack?: string }).stack;
    Object.setPrototypeOf(error, proto);
    for (let i = 1; i < data.length; i += 3) {
      defineField(error, data[i], data[i + 1], data[i + 2] === 1);
    }
    return error;
  });
}
