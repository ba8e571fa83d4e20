/**
 * The prototypes a codec has seen, by small integer id: encodings carry the id, and decoding puts
 * the same prototype back. Prototypes are remembered (the cache never leaves the process), never
 * serialized by name, so two classes with one name stay apart and nothing is looked up globally.
 *
 * Bounded: a registry accepts at most `max` prototypes besides `Object.prototype` and `null`
 * (ids 0 and 1, always known). It holds each one strongly for the codec's lifetime (an entry may
 * still need it), so it must not grow with classes created at run time; once full, encoding an
 * instance of a new prototype throws (the cache reports `E_ENCODE`) while known ones keep working.
 */
export class PrototypeRegistry {
  readonly #ids = new Map<object | null, number>([
    [Object.prototype, 0],
    [null, 1],
  ]);
  readonly #prototypes: (object | null)[] = [Object.prototype, null];

  /**
   * @param max how many prototypes besides `Object.prototype` and `null` may be registered.
   * @param fixed prototypes registered at once, in order (ids 2, 3, ...). Given, the registry is
   * closed: it registers nothing more, and an object of another prototype gets the id of its
   * nearest ancestor that is registered (`Object.prototype` at worst: a plain object). Two
   * registries built with the same list give the same ids, in any process.
   */
  constructor(
    readonly max: number,
    fixed?: readonly (object | null)[],
  ) {
    this.closed = fixed !== undefined;
    for (const proto of fixed ?? []) {
      if (this.#ids.has(proto)) continue;
      this.#ids.set(proto, this.#prototypes.length);
      this.#prototypes.push(proto);
    }
  }

  /** True when built with a fixed list: ids then mean the same in every process. */
  readonly closed: boolean;

  /** Number of prototypes registered besides `Object.prototype` and `null`. */
  get size(): number {
    return this.#prototypes.length - 2;
  }

  /** The id of `proto`, registering it on first sight; throws once the registry is full. */
  idOf(proto: object | null): number {
    const known = this.#ids.get(proto);
    if (known !== undefined) return known;
    if (this.closed) return this.#nearest(proto);
    if (this.size >= this.max) {
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
      throw new RangeError(
        `this codec already keeps ${this.max} distinct prototypes and cannot add ` +
          `${typeof name === 'string' && name !== '' ? `class ${name}` : 'another one'} ` +
          '(classes created at run time? cache plain data for them, or raise maxPrototypes)',
      );
    }
    const id = this.#prototypes.length;
    this.#prototypes.push(proto);
    this.#ids.set(proto, id);
    return id;
  }

  /** The id of the nearest registered ancestor of `proto` (closed registries). */
  #nearest(proto: object | null): number {
    for (let p = proto; p !== null; p = Object.getPrototypeOf(p) as object | null) {
      const id = this.#ids.get(p);
      if (id !== undefined) return id;
    }
    return 0;
  }

  /** The prototype registered as `id`; throws for an id this registry never gave out. */
  prototypeOf(id: unknown): object | null {
    if (typeof id !== 'number' || !(id >= 0 && id < this.#prototypes.length) || id % 1 !== 0) {
      throw new RangeError(`unknown prototype id ${String(id)}`);
    }
    return this.#prototypes[id]!;
  }
}
