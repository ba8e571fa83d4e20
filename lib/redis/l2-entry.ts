/**
 * The layout of a second-tier entry, one Redis string: a header naming the versions the entry was
 * stored under, then the codec's bytes untouched. A lookup reads the entry and the current
 * versions in one MGET and compares them here; the Lua scripts (l2-scripts.ts) write the same
 * layout and read it when they check an entry themselves.
 *
 *   H1 <expires> <g> <k> <n> (<tag> <version>){n} <data>
 *
 * Every header field is `<byte length>:<bytes>` (so tag names may hold any byte); `expires` is
 * the entry's end in the Redis server's own clock (ms), the instant its PEXPIRE also stands for.
 */

/** Where the fields of an entry's header lie in its bytes ([start, end) offsets). */
export interface EntryHeader {
  /** End of the entry in the Redis server's clock (ms since the epoch). */
  readonly expires: number;
  readonly g: Span;
  readonly k: Span;
  /** Tag names and the versions they were stored under, in pairs. */
  readonly tags: readonly Span[];
  readonly versions: readonly Span[];
  /** Offset of the codec's bytes. */
  readonly data: number;
}

/** A [start, end) range of an entry's bytes. */
export type Span = readonly [number, number];

const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const H = 0x48;
const ONE = 0x31;

/** The header of `entry`, or undefined when it is not an entry of this layout. */
export function readHeader(entry: Buffer): EntryHeader | undefined {
  if (entry.length < 2 || entry[0] !== H || entry[1] !== ONE) return undefined;
  let pos = 2;
  /** The next field's span, or undefined when the bytes end or are not a field. */
  const field = (): Span | undefined => {
    let len = 0;
    let digits = 0;
    for (; pos < entry.length; pos++) {
      const byte = entry[pos]!;
      if (byte === COLON) break;
      if (byte < ZERO || byte > NINE || ++digits > 9) return undefined;
      len = len * 10 + (byte - ZERO);
    }
    const start = pos + 1;
    const end = start + len;
    if (digits === 0 || end > entry.length) return undefined;
    pos = end;
    return [start, end];
  };
  const expires = field();
  const g = field();
  const k = field();
  const n = field();
  if (expires === undefined || g === undefined || k === undefined || n === undefined) {
    return undefined;
  }
  const count = Number(entry.toString('latin1', n[0], n[1]));
  const tags: Span[] = [];
  const versions: Span[] = [];
  for (let i = 0; i < count; i++) {
    const tag = field();
    const version = field();
    if (tag === undefined || version === undefined) return undefined;
    tags.push(tag);
    versions.push(version);
  }
  return {
    expires: Number(entry.toString('latin1', expires[0], expires[1])),
    g,
    k,
    tags,
    versions,
    data: pos,
  };
}

/** True when `current` (a version as Redis holds it now, null when missing) is the bytes at `span`. */
export function sameVersion(entry: Buffer, span: Span, current: Buffer | null): boolean {
  return current !== null && current.compare(entry, span[0], span[1]) === 0;
}
