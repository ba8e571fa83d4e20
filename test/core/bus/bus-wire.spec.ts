import { Encoder } from 'cbor-x';
import type { BusMessage } from '../../../lib/core/bus/bus-message.types.js';
import {
  decodeBusPayload,
  decodeStrictly,
  encodeBusPayload,
  MAX_WIRE_BYTES,
  MAX_WIRE_ITEMS,
  splitForWire,
  WIRE_VERSION,
} from '../../../lib/core/bus/bus-wire.js';

const SENDER_HEX = '000102030405060708090a0b0c0d0e0f';
const SENDER = new Uint8Array(Buffer.from(SENDER_HEX, 'hex'));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const cbor = new Encoder({ useRecords: false, tagUint8Array: false });
const raw = (value: unknown): Uint8Array => new Uint8Array(cbor.encode(value));

// Frozen bytes of wire version 1. If one of these fails, the format changed: other instances of
// the previous release can no longer read this one. Bump WIRE_VERSION instead of editing them.
const FIXTURES: { name: string; seq: number; message: BusMessage; hex: string }[] = [
  {
    name: 'keys',
    seq: 1,
    message: { type: 'keys', keys: ['user:1', 'user:2'] },
    hex: '850150000102030405060708090a0b0c0d0e0f01008266757365723a3166757365723a32',
  },
  {
    name: 'tags',
    seq: 2,
    message: { type: 'tags', tags: ['users'] },
    hex: '850150000102030405060708090a0b0c0d0e0f020181657573657273',
  },
  {
    name: 'flush',
    seq: 3,
    message: { type: 'flush' },
    hex: '840150000102030405060708090a0b0c0d0e0f0302',
  },
  {
    name: 'a large sequence number and a non-ASCII key',
    seq: 70_000,
    message: { type: 'keys', keys: ['clé'] },
    hex: '850150000102030405060708090a0b0c0d0e0f1a00011170008164636cc3a9',
  },
];

describe('bus wire format', () => {
  it('is version 1', () => {
    expect(WIRE_VERSION).toBe(1);
  });

  describe.each(FIXTURES)('$name message', ({ seq, message, hex: fixture }) => {
    it('encodes to its frozen bytes', () => {
      expect(hex(encodeBusPayload(SENDER, seq, message))).toBe(fixture);
    });

    it('decodes its frozen bytes', () => {
      expect(decodeBusPayload(bytes(fixture))).toEqual({
        kind: 'message',
        sender: SENDER_HEX,
        seq,
        message,
      });
    });
  });

  it('encodes into bytes of its own, not a view that a later encoding overwrites', () => {
    const first = encodeBusPayload(SENDER, 1, { type: 'flush' });
    const copy = hex(first);
    for (let i = 0; i < 1000; i++) {
      encodeBusPayload(SENDER, 2 + i, { type: 'keys', keys: ['x'.repeat(100 + i), 'clé'] });
    }
    expect(hex(first)).toBe(copy);
  });

  describe('a newer version', () => {
    it('is reported as unknown-version, whatever its layout', () => {
      expect(decodeBusPayload(raw([2, SENDER, 1, 2]))).toEqual({
        kind: 'unknown-version',
        version: 2,
      });
      expect(decodeBusPayload(raw([7, { anything: 'new' }]))).toEqual({
        kind: 'unknown-version',
        version: 7,
      });
    });
  });

  describe('malformed payloads never throw and are reported as malformed', () => {
    const flushFields = [1, SENDER, 3, 2];
    const cases: [string, Uint8Array][] = [
      ['empty bytes', new Uint8Array(0)],
      ['not CBOR', bytes('ff')],
      ['text instead of bytes', new TextEncoder().encode('{"type":"flush"}')],
      ['truncated', bytes(FIXTURES[0].hex.slice(0, -4))],
      ['trailing junk', bytes(FIXTURES[2].hex + '00')],
      ['a map instead of an array', raw({ version: 1 })],
      ['an empty array', raw([])],
      ['version 0', raw([0, SENDER, 1, 2])],
      ['a fractional version', raw([1.5, SENDER, 1, 2])],
      ['a string version', raw(['1', SENDER, 1, 2])],
      ['a short sender id', raw([1, SENDER.subarray(0, 8), 1, 2])],
      ['a text sender id', raw([1, SENDER_HEX, 1, 2])],
      ['sequence 0', raw([1, SENDER, 0, 2])],
      ['a negative sequence', raw([1, SENDER, -1, 2])],
      ['a fractional sequence', raw([1, SENDER, 1.5, 2])],
      ['a bigint sequence', bytes('840150' + SENDER_HEX + '1bffffffffffffffff02')],
      ['an unknown type', raw([1, SENDER, 1, 3, ['k']])],
      ['a flush with items', raw([...flushFields, ['k']])],
      ['keys without items', raw([1, SENDER, 1, 0])],
      ['an empty key list', raw([1, SENDER, 1, 0, []])],
      ['a key that is a number', raw([1, SENDER, 1, 0, ['k', 5]])],
      ['tags that are a string', raw([1, SENDER, 1, 1, 'users'])],
      ['an extra field', raw([1, SENDER, 1, 0, ['k'], 'extra'])],
      [
        'more items than a payload may carry',
        raw([1, SENDER, 1, 0, Array.from({ length: MAX_WIRE_ITEMS + 1 }, (_, i) => `${i}`)]),
      ],
      ['an array header claiming 4 billion items', bytes('9affffffff')],
      ['over the byte limit', new Uint8Array(MAX_WIRE_BYTES + 1)],
    ];

    it.each(cases)('%s', (_name, payload) => {
      expect(decodeBusPayload(payload)).toMatchObject({ kind: 'malformed' });
    });

    it('random bytes', () => {
      let seed = 42;
      const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % 256;
      for (let i = 0; i < 2000; i++) {
        const payload = Uint8Array.from({ length: 1 + (i % 64) }, next);
        expect(['malformed', 'unknown-version']).toContain(decodeBusPayload(payload).kind);
      }
    });
  });

  describe('splitForWire', () => {
    it('keeps a message that fits as it is', () => {
      expect(splitForWire({ type: 'tags', tags: ['a', 'b'] })).toEqual([
        { type: 'tags', tags: ['a', 'b'] },
      ]);
      expect(splitForWire({ type: 'flush' })).toEqual([{ type: 'flush' }]);
    });

    it('gives nothing to send for an empty message', () => {
      expect(splitForWire({ type: 'keys', keys: [] })).toEqual([]);
    });

    it('splits by item count, and every part decodes', () => {
      const keys = Array.from({ length: MAX_WIRE_ITEMS * 2 + 1 }, (_, i) => `k${i}`);
      const parts = splitForWire({ type: 'keys', keys });
      expect(parts.map((p) => (p.type === 'keys' ? p.keys.length : 0))).toEqual([
        MAX_WIRE_ITEMS,
        MAX_WIRE_ITEMS,
        1,
      ]);
      const decoded = parts.map((part, i) =>
        decodeBusPayload(encodeBusPayload(SENDER, i + 1, part)),
      );
      expect(
        decoded.flatMap((d) =>
          d.kind === 'message' && d.message.type === 'keys' ? d.message.keys : [],
        ),
      ).toEqual(keys);
    });

    it('splits by size, and every part is accepted by a receiver', () => {
      const keys = Array.from({ length: 20 }, (_, i) => `${i}:`.padEnd(100_000, 'é'));
      const parts = splitForWire({ type: 'keys', keys });
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) {
        expect(decodeBusPayload(encodeBusPayload(SENDER, 1, part)).kind).toBe('message');
      }
    });

    it('turns a message with a key too large for any payload into a flush', () => {
      const huge = 'x'.repeat(MAX_WIRE_BYTES);
      expect(splitForWire({ type: 'keys', keys: ['a', huge] })).toEqual([{ type: 'flush' }]);
    });
  });
});

describe('the canonical fast path of decodeBusPayload', () => {
  let seed = 7;
  const next = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  const ALPHABET = ['a', 'Z', '0', ':', '-', ' ', 'é', '€', '\u0000', '\u007f'];
  const text = (length: number): string =>
    Array.from({ length }, () => ALPHABET[next(ALPHABET.length)]).join('');
  const SEQS = [1, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 40];

  function randomMessage(): BusMessage {
    const kind = next(3);
    if (kind === 2) return { type: 'flush' };
    const items = Array.from({ length: 1 + next(30) }, () => text([0, 1, 23, 24, 300][next(5)]!));
    return kind === 0 ? { type: 'keys', keys: items } : { type: 'tags', tags: items };
  }

  it('decodes what the encoder writes exactly as the strict decoder does', () => {
    for (let i = 0; i < 500; i++) {
      const payload = encodeBusPayload(SENDER, SEQS[next(SEQS.length)]!, randomMessage());
      expect(decodeBusPayload(Buffer.from(payload))).toEqual(decodeStrictly(payload));
      expect(decodeBusPayload(payload)).toEqual(decodeStrictly(payload));
    }
  });

  it('answers like the strict decoder for damaged payloads (bytes flipped, cut, appended)', () => {
    for (let i = 0; i < 3000; i++) {
      const payload = Buffer.from(encodeBusPayload(SENDER, SEQS[next(4)]!, randomMessage()));
      const damaged =
        i % 3 === 0
          ? payload.subarray(0, next(payload.length))
          : i % 3 === 1
            ? Buffer.concat([payload, Buffer.of(next(256))])
            : Buffer.from(payload);
      if (i % 3 === 2) damaged[next(damaged.length)] = next(256);
      expect(decodeBusPayload(damaged)).toEqual(decodeStrictly(damaged));
    }
  });
});
