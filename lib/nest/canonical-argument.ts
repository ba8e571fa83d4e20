import { EventEmitter } from 'node:events';
import { types } from 'node:util';
import { describe } from '../core/cache.errors.js';
import type { ClassRef } from './method-site.js';

/** How deep default-key arguments may nest; deeper ones are refused (`E_UNKEYABLE_ARGUMENT`). */
export const MAX_ARGUMENT_DEPTH = 64;

/** Why an argument cannot be part of a default key, and where in it the problem is. */
export class UnkeyableValue {
  constructor(
    /** The path inside the argument, e.g. `.filter[2]`; empty for the argument itself. */
    readonly path: string,
    /** What was found there, e.g. `a Proxy` or `an instance of Map`. */
    readonly what: string,
    readonly cause?: unknown,
  ) {}
}

/** Called for every class instance met in an argument, before its fields are read. */
export type ClassCheck = (cls: ClassRef, path: string) => void;

/**
 * Writes `value` in a canonical text form, so that equal arguments give equal texts and different
 * ones different texts: object keys sorted, array holes and `undefined` fields kept, Dates as ISO
 * text, DTO-like class instances as `ClassName{fields}`. Throws {@link UnkeyableValue} for anything
 * without a value identity: functions, symbols, symbol-keyed or hidden properties, Proxies,
 * objects with internal state (Map, Set, Promise, streams and requests), instances with no own
 * data, circular or too deeply nested structures, and getters that throw.
 */
export function canonicalArgument(value: unknown, onClass: ClassCheck): string {
  return new CanonicalWriter(onClass).write(value, '', 0);
}

class CanonicalWriter {
  private readonly seen: object[] = [];

  constructor(private readonly onClass: ClassCheck) {}

  write(value: unknown, path: string, depth: number): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        return Object.is(value, -0) ? '0' : String(value);
      case 'bigint':
        return `${value}n`;
      case 'boolean':
        return String(value);
      case 'undefined':
        return 'undefined';
      case 'object':
        return value === null ? 'null' : this.object(value, path, depth);
      default:
        throw new UnkeyableValue(path, safeDescribe(value));
    }
  }

  private object(value: object, path: string, depth: number): string {
    // First, before anything can run a trap: a Proxy can make every later read lie or throw.
    if (types.isProxy(value)) throw new UnkeyableValue(path, 'a Proxy');
    if (depth >= MAX_ARGUMENT_DEPTH) {
      throw new UnkeyableValue(path, `a value nested deeper than ${MAX_ARGUMENT_DEPTH} levels`);
    }
    if (this.seen.includes(value)) throw new UnkeyableValue(path, 'a circular reference');
    const proto = Object.getPrototypeOf(value);
    if (types.isDate(value) && proto === Date.prototype) return this.date(value, path);
    this.seen.push(value);
    try {
      if (Array.isArray(value) && proto === Array.prototype) return this.array(value, path, depth);
      if (proto === Object.prototype || proto === null)
        return `{${this.fields(value, path, depth)}}`;
      return this.instance(value, proto, path, depth);
    } finally {
      this.seen.pop();
    }
  }

  private date(value: Date, path: string): string {
    const time = value.getTime();
    if (Number.isNaN(time)) throw new UnkeyableValue(path, 'an invalid Date');
    return `Date(${new Date(time).toISOString()})`;
  }

  private array(value: unknown[], path: string, depth: number): string {
    for (const key of Reflect.ownKeys(value)) {
      if (key !== 'length' && !isIndex(key)) {
        throw new UnkeyableValue(path, `an array with an extra property ${String(key)}`);
      }
    }
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      // A hole is not `undefined`: `[ <1 empty item> ]` and `[undefined]` are different arrays.
      items.push(
        Object.hasOwn(value, i)
          ? this.write(read(value, String(i), `${path}[${i}]`), `${path}[${i}]`, depth + 1)
          : '<hole>',
      );
    }
    return `[${items.join(',')}]`;
  }

  /** A DTO: a class instance whose own enumerable fields carry its whole state. */
  private instance(value: object, proto: object, path: string, depth: number): string {
    if (hasInternalState(value)) throw new UnkeyableValue(path, safeDescribe(value));
    const cls = (proto as { constructor?: unknown }).constructor;
    if (typeof cls !== 'function' || cls.prototype !== proto || !IDENTIFIER.test(cls.name)) {
      throw new UnkeyableValue(path, 'an object whose prototype is not a named class');
    }
    if (Reflect.ownKeys(value).length === 0) {
      throw new UnkeyableValue(path, `an instance of ${cls.name} with no own data`);
    }
    this.onClass(cls as ClassRef, path);
    return `${cls.name}{${this.fields(value, path, depth)}}`;
  }

  private fields(value: object, path: string, depth: number): string {
    const keys: string[] = [];
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'symbol') {
        throw new UnkeyableValue(path, `an object with a symbol-keyed property ${String(key)}`);
      }
      if (!Object.prototype.propertyIsEnumerable.call(value, key)) {
        throw new UnkeyableValue(path, `an object with a non-enumerable property "${key}"`);
      }
      keys.push(key);
    }
    return keys
      .sort()
      .map((key) => {
        const at = `${path}.${key}`;
        return `${JSON.stringify(key)}:${this.write(read(value, key, at), at, depth + 1)}`;
      })
      .join(',');
  }
}

/** Reads an own property, turning a throwing getter into an {@link UnkeyableValue}. */
function read(value: object, key: string, path: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (error) {
    throw new UnkeyableValue(path, 'a getter that throws', error);
  }
}

/** {@link describe}, which reads `constructor`: an own getter of that name must not escape. */
function safeDescribe(value: unknown): string {
  try {
    return describe(value);
  } catch {
    return 'an object';
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function isIndex(key: string | symbol): boolean {
  return typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Objects whose state is not in their own fields (built-ins with internal slots), and event
 * emitters, which covers Node's request, response, stream and socket objects.
 */
function hasInternalState(value: object): boolean {
  return (
    types.isMap(value) ||
    types.isSet(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value) ||
    types.isPromise(value) ||
    types.isRegExp(value) ||
    types.isDate(value) ||
    types.isArrayBufferView(value) ||
    types.isAnyArrayBuffer(value) ||
    types.isBoxedPrimitive(value) ||
    types.isNativeError(value) ||
    types.isGeneratorObject(value) ||
    types.isModuleNamespaceObject(value) ||
    Array.isArray(value) ||
    value instanceof EventEmitter
  );
}
