import { describe, expect, it } from '@jest/globals';
import { decodeFrame, encodeFrame, FRAME_HEADER_BYTES } from '../../lib/redis/redis-frame.js';

describe('Redis frame', () => {
  it('is HC, an 8-byte big-endian sequence number, then the payload (frozen bytes)', () => {
    const frame = encodeFrame(258, Uint8Array.of(0xa1, 0x00, 0xff));
    expect(Buffer.from(frame).toString('hex')).toBe('4843' + '0000000000000102' + 'a100ff');
    expect(decodeFrame(frame)).toEqual({ seq: 258, payload: Uint8Array.of(0xa1, 0x00, 0xff) });
  });

  it('carries an empty payload', () => {
    const decoded = decodeFrame(encodeFrame(1, new Uint8Array(0)));
    expect(decoded?.seq).toBe(1);
    expect(decoded?.payload.length).toBe(0);
  });

  it('reads a frame that sits inside a larger buffer', () => {
    const outer = Buffer.concat([Buffer.from('xx'), encodeFrame(7, Uint8Array.of(1, 2))]);
    expect(decodeFrame(outer.subarray(2))).toEqual({ seq: 7, payload: Uint8Array.of(1, 2) });
  });

  it.each([
    ['too short', Buffer.from('HC' + '\0'.repeat(7))],
    ['foreign magic', Buffer.from(encodeFrame(1, Uint8Array.of(1))).fill(0x58, 0, 1)],
    ['plain text', Buffer.from('hello, invalidate everything please')],
    ['sequence zero', Buffer.from('4843' + '00'.repeat(8), 'hex')],
    ['sequence beyond 2^53', Buffer.from('4843' + 'ff'.repeat(8), 'hex')],
  ])('rejects a frame that is %s', (_what, bytes) => {
    expect(decodeFrame(bytes)).toBeUndefined();
  });

  it('has a 10-byte header', () => {
    expect(FRAME_HEADER_BYTES).toBe(10);
  });
});
