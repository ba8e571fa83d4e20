import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { FrameAuth, MAC_BYTES } from '../../lib/redis/frame-auth.js';

const KEY = randomBytes(32);
const OLD = randomBytes(32);
const payload = Buffer.from('a bus payload');

describe('FrameAuth', () => {
  it('seals a payload with a 32-byte HMAC and opens it again', () => {
    const auth = new FrameAuth(KEY, [], 'hydracache:v1:orders');
    const sealed = auth.seal(payload);
    expect(sealed.length).toBe(payload.length + MAC_BYTES);
    expect(Buffer.from(auth.open(sealed)!)).toEqual(payload);
  });

  it('refuses a changed payload, a cut MAC, another key and another channel', () => {
    const auth = new FrameAuth(KEY, [], 'hydracache:v1:orders');
    const sealed = auth.seal(payload);
    const flipped = Buffer.from(sealed);
    flipped[0] ^= 1;
    expect(auth.open(flipped)).toBeUndefined();
    expect(auth.open(sealed.subarray(0, sealed.length - 1))).toBeUndefined();
    expect(auth.open(payload.subarray(0, 5))).toBeUndefined();
    expect(new FrameAuth(OLD, [], 'hydracache:v1:orders').open(sealed)).toBeUndefined();
    expect(new FrameAuth(KEY, [], 'hydracache:v1:users').open(sealed)).toBeUndefined();
  });

  it('opens what an accepted (old) key sealed, but seals with its own key only', () => {
    const rotating = new FrameAuth(KEY, [OLD], 'c');
    expect(rotating.open(new FrameAuth(OLD, [], 'c').seal(payload))).toBeDefined();
    expect(new FrameAuth(OLD, [], 'c').open(rotating.seal(payload))).toBeUndefined();
  });
});
