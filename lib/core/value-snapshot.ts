import { types } from 'node:util';
import { Tag } from 'cbor-x';
import { ExactTag, NEGATIVE_ZERO } from './exact-tags.js';
import type { PrototypeRegistry } from './prototype-registry.js';

/**
 * What {@link CborCodec} hands to cbor-x: a copy of the value made only of data properties, read
 * once. Reading runs the value's getters and Proxy traps here, before cbor-x starts, so user code
 * never runs inside cbor-x's encoder, whose buffer state is shared by the whole process: a getter
 * that writes to a cache while its value is being stored is then just another, complete encode.
 *
 * With a registry (exact round trips), the snapshot also marks with CBOR tags (exact-tags.ts) what
 * plain CBOR would change: prototypes other than `Object.prototype` (class instances, null
 * prototypes), Errors with all their own properties, -0, strings with lone surrogates, array
 * holes, own `__proto__`/`constructor` keys and Buffers. Without one it copies only, and class
 * instances become plain objects of their own enumerable properties.
 *
 * Either way, objects whose state lives in internal slots the codec does not copy (Promise,
 * WeakMap, WeakRef, DataView, boxed primitives, class instances extending Map, Set, Array, Date,
 * RegExp or a typed array...) throw instead of coming back changed.
 */
export function snapshot(value: unknown, registry: PrototypeRegistry | undefined): unknown {
  return new Snapshot(registry).value(value, 0);
}

/** Nesting deeper than this is refused (it is almost always a circular structure). */
const MAX_DEPTH = 1_000;

/** Prototypes whose objects cbor-x copies exactly by itself (internal slots checked on use). */
const AS_IS = new Set<object>(
  [
    ArrayBuffer,
    Uint8Array,
    Uint8ClampedArray,
    Uint16Array,
    Uint32Array,
    BigUint64Array,
    Int8Array,
    Int16Array,
    Int32Array,
    BigInt64Array,
    Float32Array,
    Float64Array,
    Date,
    RegExp,
  ].map((type) => type.prototype),
);

/** This realm's typed-array constructors by name, to copy another realm's typed arrays. */
const BINARY = new Map<string, new (source: ArrayLike<number>) => ArrayBufferView>(
  [
    Uint8Array,
    Uint8ClampedArray,
    Uint16Array,
    Uint32Array,
    Int8Array,
    Int16Array,
    Int32Array,
    Float32Array,
    Float64Array,
  ].map((type) => [type.name, type]),
);

/** Built-in prototypes of any realm, by identity (see {@link isIntrinsic}). */
const intrinsics = new WeakMap<object, boolean>();

/**
 * Whether `proto` is the prototype of a built-in constructor (of this or another realm): its
 * constructor is native code. A class extending a built-in is not (its constructor is a class).
 */
function isIntrinsic(proto: object | null): boolean {
  if (proto === null) return false;
  let known = intrinsics.get(proto);
  if (known === undefined) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    known =
      typeof ctor === 'function' &&
      ctor.prototype === proto &&
      /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(ctor));
    intrinsics.set(proto, known);
  }
  return known;
}

/** One snapshot walk: the registry (undefined: copy only) and the rules above. */
class Snapshot {
  constructor(readonly registry: PrototypeRegistry | undefined) {}

  value(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'object':
        return value === null ? null : this.object(value, depth + 1);
      case 'string':
        return this.registry === undefined || wellFormed(value) ? value : utf16(value);
      case 'number':
        return value === 0 && 1 / value < 0 && this.registry !== undefined ? NEGATIVE_ZERO : value;
      case 'function':
        throw new TypeError(`a function${value.name ? ` (${value.name})` : ''} cannot be stored`);
      case 'symbol':
        throw new TypeError(`a symbol (${value.toString()}) cannot be stored`);
      default:
        return value;
    }
  }

  object(value: object, depth: number): unknown {
    if (depth > MAX_DEPTH) {
      throw new RangeError(`circular structure, or nested deeper than ${MAX_DEPTH} levels`);
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === Object.prototype) return this.fields(value, 0, depth);
    if (proto === Date.prototype) return value;
    if (Array.isArray(value)) {
      if (proto !== Array.prototype && !isIntrinsic(proto))
        throw unsupported(value, 'extends Array');
      return this.array(value as unknown[], depth);
    }
    if (proto === null) return this.fields(value, this.registry?.idOf(null) ?? 0, depth);
    if (AS_IS.has(proto)) {
      if (proto !== ArrayBuffer.prototype || this.registry === undefined) return value;
      return new Tag(new Uint8Array(value as ArrayBuffer), ExactTag.ARRAY_BUFFER);
    }
    if (proto === Map.prototype && types.isMap(value)) return this.map(value, depth);
    if (proto === Set.prototype && types.isSet(value)) return this.set(value, depth);
    if (types.isNativeError(value) || value instanceof Error)
      return this.error(value, proto, depth);
    if (proto === Buffer.prototype) {
      if (this.registry === undefined) return value;
      const bytes = value as Buffer;
      return new Tag(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), ExactTag.BUFFER);
    }
    if (isIntrinsic(proto)) return this.foreign(value, proto, depth);
    const slots = internalSlots(value);
    if (slots !== undefined) throw unsupported(value, slots);
    if (this.registry === undefined) return this.fields(value, 0, depth);
    return this.fields(value, this.registry.idOf(proto), depth);
  }

  map(value: Map<unknown, unknown>, depth: number): Map<unknown, unknown> {
    const copy = new Map<unknown, unknown>();
    for (const [key, entry] of value) copy.set(this.value(key, depth), this.value(entry, depth));
    return copy;
  }

  set(value: Set<unknown>, depth: number): Set<unknown> {
    const copy = new Set<unknown>();
    for (const member of value) copy.add(this.value(member, depth));
    return copy;
  }

  /**
   * A built-in object of another realm (a `vm` context; Jest runs tests in one, and its
   * `structuredClone` returns the outer realm's objects): copied as this realm's same built-in.
   */
  foreign(value: object, proto: object, depth: number): unknown {
    const name = (proto as { constructor: { name: string } }).constructor.name;
    if (name === 'Object') return this.fields(value, 0, depth);
    if (name === 'Map' && types.isMap(value))
      return this.map(value as Map<unknown, unknown>, depth);
    if (name === 'Set' && types.isSet(value)) return this.set(value as Set<unknown>, depth);
    if (name === 'Date' && types.isDate(value)) return new Date(Date.prototype.getTime.call(value));
    if (name === 'RegExp' && types.isRegExp(value)) {
      const { source, flags } = value as RegExp;
      return new RegExp(source, flags);
    }
    const Binary = BINARY.get(name);
    if (Binary !== undefined && ArrayBuffer.isView(value)) return new Binary(value as Uint8Array);
    if (name === 'ArrayBuffer' && types.isArrayBuffer(value)) {
      return new Uint8Array(new Uint8Array(value as ArrayBuffer)).buffer;
    }
    throw unsupported(value, `is a ${name} of another realm`);
  }

  /** An object's own enumerable string-keyed fields, copied; tagged unless a plain object. */
  fields(value: object, protoId: number, depth: number): unknown {
    const copy = { ...value } as Record<string, unknown>;
    const keys = Object.keys(copy);
    const exact = this.registry !== undefined;
    if (exact && copy.constructor !== Object) return this.entries(copy, keys, 0, protoId, depth);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === '__proto__' || (exact && !wellFormed(key))) {
        if (exact) return this.entries(copy, keys, i, protoId, depth);
        // Without tags cbor-x renames the key on decode; never read or set it as the prototype.
        const field = Object.getOwnPropertyDescriptor(copy, key)!.value as unknown;
        Object.defineProperty(copy, key, { value: this.value(field, depth), enumerable: true });
        continue;
      }
      const field = copy[key];
      if (typeof field === 'object') {
        if (field !== null) copy[key] = this.object(field, depth + 1);
      } else if (typeof field !== 'boolean' && field !== undefined) {
        copy[key] = this.value(field, depth);
      }
    }
    return protoId === 0 ? copy : new Tag([protoId, copy], ExactTag.INSTANCE);
  }

  /**
   * Fields as a key/value list, for keys a CBOR map would change (`__proto__`, lone surrogates,
   * an own `constructor`, which cbor-x reads to pick an encoding). The fields before `from` are
   * already snapshot values.
   */
  entries(
    copy: Record<string, unknown>,
    keys: string[],
    from: number,
    protoId: number,
    depth: number,
  ): Tag {
    const list: unknown[] = [protoId];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const field = Object.getOwnPropertyDescriptor(copy, key)!.value as unknown;
      list.push(this.value(key, depth), i < from ? field : this.value(field, depth));
    }
    return new Tag(list, ExactTag.ENTRIES);
  }

  array(value: unknown[], depth: number): unknown {
    const length = value.length;
    const copy = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      if (!(i in value) && this.registry !== undefined) return this.sparse(value, depth);
      copy[i] = this.value(value[i], depth);
    }
    return copy;
  }

  sparse(value: unknown[], depth: number): Tag {
    const list: unknown[] = [value.length];
    value.forEach((element, index) => list.push(index, this.value(element, depth)));
    return new Tag(list, ExactTag.SPARSE_ARRAY);
  }

  /** An Error with every own string-keyed property (message, stack, cause, code...). */
  error(value: Error, proto: object | null, depth: number): unknown {
    if (this.registry === undefined) return value;
    const list: unknown[] = [this.registry.idOf(proto)];
    for (const name of Object.getOwnPropertyNames(value)) {
      const field = (value as unknown as Record<string, unknown>)[name];
      const enumerable = Object.prototype.propertyIsEnumerable.call(value, name) ? 1 : 0;
      list.push(this.value(name, depth), this.value(field, depth), enumerable);
    }
    return new Tag(list, ExactTag.ERROR);
  }
}

/** String#isWellFormed (Node 20+; not in this project's ES2023 typings). */
interface MaybeWellFormed {
  isWellFormed(): boolean;
}

/** Whether `text` is valid Unicode (no lone surrogates), so UTF-8 keeps it exactly. */
function wellFormed(text: string): boolean {
  return (text as unknown as MaybeWellFormed).isWellFormed();
}

function utf16(text: string): Tag {
  return new Tag(new Uint8Array(Buffer.from(text, 'utf16le')), ExactTag.UTF16_STRING);
}

/** What internal state `value` keeps that a copy of its properties would lose, if any. */
function internalSlots(value: object): string | undefined {
  if (types.isPromise(value)) return 'is a Promise';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return 'holds weak references';
  if (value instanceof WeakRef || value instanceof FinalizationRegistry) {
    return 'holds weak references';
  }
  if (types.isMap(value)) return 'extends Map';
  if (types.isSet(value)) return 'extends Set';
  if (types.isDate(value)) return 'extends Date';
  if (types.isRegExp(value)) return 'extends RegExp';
  if (types.isAnyArrayBuffer(value) || ArrayBuffer.isView(value)) {
    return 'is binary data of a kind the codec does not copy';
  }
  if (types.isBoxedPrimitive(value)) return 'is a boxed primitive';
  if (types.isGeneratorObject(value) || types.isMapIterator(value) || types.isSetIterator(value)) {
    return 'is an iterator';
  }
  if (types.isModuleNamespaceObject(value)) return 'is a module namespace';
  return undefined;
}

function unsupported(value: object, why: string): TypeError {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  const what = typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
  return new TypeError(`${what} cannot be copied faithfully: it ${why}`);
}
