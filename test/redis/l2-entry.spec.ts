import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { RedisClock } from '../../lib/redis/l2-clock.js';
import { readHeader, sameVersion } from '../../lib/redis/l2-entry.js';

/** An entry in the layout the Lua scripts write (l2-scripts.ts `store`). */
function entry(
  expires: number,
  g: string,
  k: string,
  tags: [string, string][],
  data: Buffer,
): Buffer {
  const field = (text: string): string => `${Buffer.byteLength(text)}:${text}`;
  const header = ['H1', field(String(expires)), field(g), field(k), field(String(tags.length))];
  for (const [tag, version] of tags) header.push(field(tag), field(version));
  return Buffer.concat([Buffer.from(header.join('')), data]);
}

describe('a second-tier entry', () => {
  it('reads back the versions, tags and data it was stored with, whatever bytes the tags hold', () => {
    const data = Buffer.from([0xd9, 0xdf, 0x3a, 0x48, 0x31, 0x00]);
    const tags: [string, string][] = [
      ['users', 'a1:3@c:9'],
      ['row:"x":\n1', 'b2:0@c:1'],
      ['naïve·', 'c3:7@c:2'],
    ];
    const bytes = entry(1_733_356_800_123, 'g:1', 'k:0', tags, data);
    const header = readHeader(bytes)!;
    expect(header.expires).toBe(1_733_356_800_123);
    expect(sameVersion(bytes, header.g, Buffer.from('g:1'))).toBe(true);
    expect(sameVersion(bytes, header.g, Buffer.from('g:2'))).toBe(false);
    expect(sameVersion(bytes, header.k, null)).toBe(false);
    expect(header.tags.map(([s, e]) => bytes.toString('utf8', s, e))).toEqual(
      tags.map((t) => t[0]),
    );
    expect(header.versions.map(([s, e]) => bytes.toString('utf8', s, e))).toEqual(
      tags.map((t) => t[1]),
    );
    expect(bytes.subarray(header.data)).toEqual(data);
  });

  it('is not read when its header is cut short or is not this layout', () => {
    const bytes = entry(5, 'g:1', 'k:0', [['t', 'v:1@c:1']], Buffer.from('data'));
    const headerEnd = readHeader(bytes)!.data;
    for (let cut = 0; cut < headerEnd; cut++) {
      // Cut inside the header: either unreadable, or (cut inside the data-free tail) never past the end.
      const header = readHeader(bytes.subarray(0, cut));
      if (header !== undefined) expect(header.data).toBeLessThanOrEqual(cut);
    }
    expect(readHeader(Buffer.from('H2' + bytes.subarray(2).toString()))).toBeUndefined();
    expect(readHeader(Buffer.from('H1x:1'))).toBeUndefined();
    expect(readHeader(Buffer.from('H11234567890:1'))).toBeUndefined();
    expect(readHeader(Buffer.alloc(0))).toBeUndefined();
  });
});

describe("Redis's clock as this process estimates it", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs on from its last reading by the monotonic clock, not by Date.now', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const read = jest.fn(() => new Promise<number>(() => undefined));
    const clock = new RedisClock(read);
    expect(clock.now()).toBeUndefined();
    clock.observe(1_000_000);
    jest.setSystemTime(Date.now() + 600_000); // the wall clock jumps 10 minutes
    jest.advanceTimersByTime(250);
    expect(clock.now()).toBeCloseTo(1_000_250, 0);
  });

  it('takes a new reading once the last is 10 s old, one at a time; a failed one keeps the last', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let answer: (ms: number) => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const read = jest.fn(
      () =>
        new Promise<number>((resolve, reject) => {
          answer = resolve;
          fail = reject;
        }),
    );
    const clock = new RedisClock(read);
    clock.observe(5_000);
    jest.advanceTimersByTime(9_000);
    clock.now();
    expect(read).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2_000);
    expect(clock.now()).toBeCloseTo(16_000, 0);
    clock.now();
    await Promise.resolve();
    expect(read).toHaveBeenCalledTimes(1);
    fail(new Error('down'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBeCloseTo(16_000, 0);
    await Promise.resolve();
    expect(read).toHaveBeenCalledTimes(2);
    answer(90_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBeCloseTo(90_000, 0);
  });
});
