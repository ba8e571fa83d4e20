import { describe, expect, it } from '@jest/globals';
import { decodeFrame, encodeFrame, FRAME_SEQ_BYTES } from '../../lib/redis/redis-frame.js';

const EPOCH = '1733000000.123456';
const EPOCH_HEX = Buffer.from(EPOCH).toString('hex');

describe('Redis frame', () => {
  it('is HC, an 8-byte big-endian sequence number, the epoch (length byte, text), then the body (frozen bytes)', () => {
    const frame = encodeFrame(258, EPOCH, Uint8Array.of(0xa1, 0x00, 0xff));
    expect(Buffer.from(frame).toString('hex')).toBe(
      '4843' + '0000000000000102' + '11' + EPOCH_HEX + 'a100ff',
    );
    expect(decodeFrame(frame)).toEqual({
      seq: 258,
      epoch: EPOCH,
      body: Uint8Array.of(0xa1, 0x00, 0xff),
    });
  });

  it('carries an empty body, and the largest sequence number the script can produce', () => {
    const decoded = decodeFrame(encodeFrame(Number.MAX_SAFE_INTEGER, '1.0', new Uint8Array(0)));
    expect(decoded?.seq).toBe(Number.MAX_SAFE_INTEGER);
    expect(decoded?.epoch).toBe('1.0');
    expect(decoded?.body.length).toBe(0);
  });

  it('reads a frame that sits inside a larger buffer', () => {
    const outer = Buffer.concat([Buffer.from('xx'), encodeFrame(7, EPOCH, Uint8Array.of(1, 2))]);
    expect(decodeFrame(outer.subarray(2))).toEqual({
      seq: 7,
      epoch: EPOCH,
      body: Uint8Array.of(1, 2),
    });
  });

  it.each([
    ['too short', Buffer.from('HC' + '\0'.repeat(7))],
    ['foreign magic', Buffer.from(encodeFrame(1, EPOCH, Uint8Array.of(1))).fill(0x58, 0, 1)],
    ['plain text', Buffer.from('hello, invalidate everything please')],
    ['sequence zero', Buffer.from('4843' + '00'.repeat(8) + '0131', 'hex')],
    ['sequence beyond 2^53', Buffer.from('4843' + '0020' + '00'.repeat(6) + '0131', 'hex')],
    ['without an epoch', Buffer.from('4843' + '00'.repeat(7) + '01' + '00' + 'a0', 'hex')],
    ['cut inside its epoch', Buffer.from(encodeFrame(1, EPOCH, new Uint8Array(0))).subarray(0, 20)],
  ])('rejects a frame that is %s', (_what, bytes) => {
    expect(decodeFrame(bytes)).toBeUndefined();
  });

  it('has a 10-byte magic and number before the epoch', () => {
    expect(FRAME_SEQ_BYTES).toBe(10);
  });
});
