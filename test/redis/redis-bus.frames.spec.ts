import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { HydraCache } from '../../lib/index.js';
import type { CacheBusStats } from '../../lib/core/bus/cache-bus.stats.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { pollUntil } from '../support/poll.js';
import { cachesOn, ChannelTap, freshChannel, gone } from './support/bus-on-channel.js';
import { frameBytes } from './support/frame-bytes.js';

const available = await sharedRedisAvailable('Redis bus frames (shared Redis)');

(available ? describe : describe.skip)('redisBus: frames that must not flush', () => {
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

  /** A publisher A and a receiver B on a fresh channel; B holds `keep` and `x`. */
  async function scene() {
    const names = freshChannel();
    const [a, b] = (await cachesOn(
      [{ channel: names.channel }, { channel: names.channel }],
      open,
    )) as [HydraCache, HydraCache];
    await b.getOrLoad('keep', {}, () => 'kept');
    await b.getOrLoad('x', {}, () => 'x');
    const [seq, epoch] = (await admin.hmget(names.stateKey, 'seq', 'epoch')) as [string, string];
    return { ...names, a, b, before: b.busStats()!, seq: Number(seq), epoch };
  }

  /**
   * A real invalidation published after the injected frames still reaches B (so the stream goes
   * on), and B dropped nothing else and saw no gap.
   */
  async function stillWhole(a: HydraCache, b: HydraCache, before: CacheBusStats): Promise<void> {
    await a.invalidateKey('x');
    await gone(b, 'x');
    expect(await b.containsKey('keep')).toBe(true);
    expect(b.busStats()).toMatchObject({
      gapsDetected: before.gapsDetected,
      resyncs: before.resyncs,
    });
  }

  it('a well-framed frame with a garbage payload, numbered next or ahead, flushes nothing', async () => {
    const { a, b, before, redisChannel, seq, epoch } = await scene();
    await admin.publish(redisChannel, frameBytes(seq + 1, epoch, Buffer.from('garbage')));
    await admin.publish(redisChannel, frameBytes(seq + 7, epoch, Uint8Array.of(0x83, 0x01, 0x02)));
    await stillWhole(a, b, before);
    expect(b.busStats()!.malformed).toBe(before.malformed + 2);
  });

  it('a replayed copy of real frames, and truncated copies, flush nothing and apply nothing', async () => {
    const { a, b, before, redisChannel } = await scene();
    const tap = await ChannelTap.open(redisChannel);
    taps.push(tap);
    await a.invalidateKey('y');
    await a.invalidateKey('z');
    await tap.waitFor(2);
    await pollUntil(() => b.busStats()!.applied === before.applied + 2, 'B to apply y and z');
    const [first, second] = tap.frames as [Buffer, Buffer];
    await b.getOrLoad('y', {}, () => 'y again');
    await admin.publish(redisChannel, second); // a duplicate of the latest frame
    await admin.publish(redisChannel, first); // a replay of an older one
    await admin.publish(redisChannel, second.subarray(0, second.length - 3)); // payload cut short
    await admin.publish(redisChannel, first.subarray(0, 14)); // cut inside the header
    await stillWhole(a, b, before);
    expect(await b.containsKey('y')).toBe(true); // the replayed invalidation of y was not applied
    expect(b.busStats()!.duplicates).toBe(before.duplicates + 2);
  });

  it.each([
    ['after some messages', 2],
    ['before any message (the new counter goes on from the old number)', 0],
  ])(
    'still catches a counter that really started again (its key deleted) %s: a gap, a flush',
    async (_when, warmUp) => {
      const { a, b, before, stateKey } = await scene();
      for (let i = 0; i < warmUp; i++) await a.invalidateKey(`warm-${i}`);
      await pollUntil(() => b.busStats()!.applied === before.applied + warmUp, 'the warm-up');
      await admin.del(stateKey);
      await a.invalidateKey('unrelated');
      await pollUntil(() => b.busStats()!.resyncs === before.resyncs + 1, 'B to resync');
      expect(b.busStats()!.gapsDetected).toBe(before.gapsDetected + 1);
      expect(await b.containsKey('keep')).toBe(false);
    },
  );
});
