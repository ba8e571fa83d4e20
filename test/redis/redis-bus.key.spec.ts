import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { encodeBusPayload } from '../../lib/core/bus/bus-wire.js';
import type { HydraCache } from '../../lib/index.js';
import type { RedisBusOptions } from '../../lib/redis/index.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { pollUntil } from '../support/poll.js';
import { cachesOn, ChannelTap, freshChannel, gone } from './support/bus-on-channel.js';
import { frameBytes, renumbered } from './support/frame-bytes.js';

const available = await sharedRedisAvailable('Redis bus shared key (shared Redis)');

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32).toString('base64');

(available ? describe : describe.skip)('redisBus with a shared key', () => {
  let admin: Redis;
  const open: HydraCache[] = [];
  const taps: ChannelTap[] = [];

  beforeAll(() => {
    admin = new Redis(SHARED_REDIS_URL);
  });
  afterEach(async () => {
    taps.splice(0).forEach((tap) => tap.close());
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    await admin.quit();
  });

  /** Caches A and B on a fresh channel with the given options; B holds `keep` and `x`. */
  async function scene(optionsA: RedisBusOptions, optionsB: RedisBusOptions) {
    const names = freshChannel();
    const [a, b] = (await cachesOn(
      [
        { channel: names.channel, ...optionsA },
        { channel: names.channel, ...optionsB },
      ],
      open,
    )) as [HydraCache, HydraCache];
    await b.getOrLoad('keep', {}, () => 'kept');
    await b.getOrLoad('x', {}, () => 'x');
    const [seq, epoch] = (await admin.hmget(names.stateKey, 'seq', 'epoch')) as [string, string];
    return { ...names, a, b, before: b.busStats()!, seq: Number(seq), epoch };
  }

  it('frames without a valid MAC (plain PUBLISH, a keyless instance) are ignored and counted', async () => {
    const { a, b, before, channel, redisChannel, seq, epoch } = await scene(
      { key: KEY },
      { key: KEY },
    );
    const flush = encodeBusPayload(randomBytes(16), 1, { type: 'flush' });
    await admin.publish(redisChannel, frameBytes(seq + 1, epoch, flush)); // no MAC
    const forgedMac = Buffer.concat([flush, randomBytes(32)]);
    await admin.publish(redisChannel, frameBytes(seq + 2, epoch, forgedMac)); // a wrong MAC
    const [keyless] = await cachesOn([{ channel }], open);
    await keyless!.flush(); // numbered by the script, but unsigned
    await a.invalidateKey('x'); // signed: applied
    await gone(b, 'x');
    expect(await b.containsKey('keep')).toBe(true);
    expect(b.busStats()).toMatchObject({
      unauthenticated: before.unauthenticated + 3,
      gapsDetected: before.gapsDetected,
      resyncs: before.resyncs,
      applied: before.applied + 1,
    });
  });

  it('a replayed authentic frame, verbatim or renumbered as the next frame, is a duplicate', async () => {
    const { a, b, before, redisChannel, stateKey } = await scene({ key: KEY }, { key: KEY });
    const tap = await ChannelTap.open(redisChannel);
    taps.push(tap);
    await a.invalidateKey('y');
    await tap.waitFor(1);
    await pollUntil(() => b.busStats()!.applied === before.applied + 1, 'B to apply y');
    await b.getOrLoad('y', {}, () => 'y again');
    const [frame] = tap.frames as [Buffer];
    const seq = Number(await admin.hget(stateKey, 'seq'));
    await admin.publish(redisChannel, frame);
    await admin.publish(redisChannel, renumbered(frame, seq + 1));
    await a.invalidateKey('x');
    await gone(b, 'x');
    expect(await b.containsKey('y')).toBe(true);
    expect(await b.containsKey('keep')).toBe(true);
    expect(b.busStats()).toMatchObject({
      duplicates: before.duplicates + 2,
      gapsDetected: before.gapsDetected,
      resyncs: before.resyncs,
    });
  });

  it('an instance with another key is not heard', async () => {
    const { a, b, before } = await scene({ key: OTHER_KEY }, { key: KEY });
    await a.invalidateKey('x');
    await pollUntil(
      () => b.busStats()!.unauthenticated === before.unauthenticated + 1,
      'B to reject the frame',
    );
    expect(await b.containsKey('x')).toBe(true);
  });

  it('rotates: instances signing with the old and the new key hear each other through acceptKeys', async () => {
    const { a, b } = await scene(
      { key: OTHER_KEY, acceptKeys: [KEY] },
      { key: KEY, acceptKeys: [OTHER_KEY] },
    );
    await a.invalidateKey('x');
    await gone(b, 'x');
    await a.getOrLoad('z', {}, () => 'z');
    await b.invalidateKey('z');
    await gone(a, 'z');
    expect(a.busStats()!.unauthenticated + b.busStats()!.unauthenticated).toBe(0);
  });
});
