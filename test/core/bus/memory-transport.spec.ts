import { jest } from '@jest/globals';
import { CacheBus } from '../../../lib/core/bus/cache-bus.js';
import { MemoryBusHub } from '../../../lib/core/bus/memory-transport.js';
import { FakeTarget } from '../../support/bus-fakes.js';
import { installFakeClock, uninstallFakeClock } from '../../support/clock.js';

describe('MemoryBusHub with three buses', () => {
  let hub: MemoryBusHub;
  const nodes: {
    bus: CacheBus;
    target: FakeTarget;
    transport: ReturnType<MemoryBusHub['transport']>;
  }[] = [];

  beforeEach(() => {
    hub = new MemoryBusHub();
    for (let i = 0; i < 3; i++) {
      const transport = hub.transport();
      const target = new FakeTarget();
      const bus = new CacheBus(transport, target, { onWarn: () => undefined });
      nodes.push({ bus, target, transport });
    }
  });
  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.bus.close()));
    nodes.length = 0;
  });

  it('connects at start without a resync', () => {
    for (const { bus, target } of nodes) {
      expect(bus.connected).toBe(true);
      expect(target.applied).toEqual([]);
    }
  });

  it('delivers a publish to every other member before the publish settles, never back to its sender', async () => {
    const [a, b, c] = nodes;
    await a.bus.publish({ type: 'tags', tags: ['users'] });
    expect(b.target.applied).toEqual([{ type: 'tags', tags: ['users'] }]);
    expect(c.target.applied).toEqual([{ type: 'tags', tags: ['users'] }]);
    expect(a.target.applied).toEqual([]);
    expect(a.bus.stats()).toMatchObject({ published: 1, received: 1, ignoredOwn: 1 });
  });

  it("keeps each sender's order", async () => {
    const [a, b] = nodes;
    for (let i = 0; i < 50; i++) void a.bus.publish({ type: 'keys', keys: [`k${i}`] });
    await a.bus.publish({ type: 'flush' });
    expect(b.target.applied).toEqual([
      ...Array.from({ length: 50 }, (_, i) => ({ type: 'keys', keys: [`k${i}`] })),
      { type: 'flush' },
    ]);
  });

  it('a member taken offline misses messages and resyncs when back online', async () => {
    const [a, b, c] = nodes;
    b.target.size = 10;
    b.transport.goOffline();
    expect(b.bus.stats()).toMatchObject({ connected: false, disconnects: 1 });
    await a.bus.publish({ type: 'keys', keys: ['user:1'] });
    expect(b.target.applied).toEqual([]);
    expect(c.target.applied).toHaveLength(1);
    b.transport.goOnline();
    expect(b.target.applied).toEqual([{ type: 'flush' }]);
    expect(b.bus.stats()).toMatchObject({ connected: true, gapsDetected: 1, resyncs: 1 });
  });

  it('back online without a gap when nothing was published meanwhile', () => {
    const [, b] = nodes;
    b.target.size = 10;
    b.transport.goOffline();
    b.transport.goOnline();
    expect(b.target.applied).toEqual([]);
    expect(b.bus.stats()).toMatchObject({ gapsDetected: 0, resyncs: 0 });
  });

  it('what an offline member publishes reaches the others once it is back', async () => {
    const [a, b, c] = nodes;
    a.transport.goOffline();
    await a.bus.publish({ type: 'tags', tags: ['users'] });
    expect(b.target.applied).toEqual([]);
    a.transport.goOnline();
    await Promise.resolve();
    expect(b.target.applied).toEqual([{ type: 'tags', tags: ['users'] }]);
    expect(c.target.applied).toEqual([{ type: 'tags', tags: ['users'] }]);
  });

  it('garbage and foreign versions injected on the hub are counted by every member and applied by none', () => {
    for (const node of nodes) node.target.size = 3;
    hub.inject(new Uint8Array([0xff, 0x00]));
    hub.inject(new Uint8Array(Buffer.from('8102', 'hex'))); // [2, ...]: a newer version
    for (const { bus, target } of nodes) {
      expect(target.applied).toEqual([]);
      expect(bus.stats()).toMatchObject({ malformed: 1, unknownVersion: 1, resyncs: 0 });
    }
  });

  it('a closed member leaves the hub', async () => {
    const [a, b] = nodes;
    await b.bus.close();
    await a.bus.publish({ type: 'flush' });
    expect(b.target.applied).toEqual([]);
    expect(b.transport.online).toBe(false);
  });

  describe('publish faults', () => {
    beforeEach(() => installFakeClock());
    afterEach(() => uninstallFakeClock());

    it('a failed publish is retried and delivered', async () => {
      const [a, b] = nodes;
      a.transport.failPublishes(1);
      await a.bus.publish({ type: 'keys', keys: ['k'] });
      expect(b.target.applied).toEqual([]);
      expect(a.bus.stats()).toMatchObject({ publishFailures: 1, retryQueueSize: 1 });
      await jest.advanceTimersByTimeAsync(100);
      expect(b.target.applied).toEqual([{ type: 'keys', keys: ['k'] }]);
      expect(a.bus.stats().retryQueueSize).toBe(0);
    });

    it('a held publish settles at publishTimeout and is delivered in order when released', async () => {
      const [a, b] = nodes;
      a.transport.holdPublishes();
      const publish = a.bus.publish({ type: 'keys', keys: ['k1'] });
      await jest.advanceTimersByTimeAsync(250);
      await expect(publish).resolves.toBeUndefined();
      a.transport.releasePublishes();
      expect(b.target.applied).toEqual([{ type: 'keys', keys: ['k1'] }]);
      await jest.advanceTimersByTimeAsync(100); // the retry resends it: harmless, removals repeat
      expect(b.target.applied).toEqual([
        { type: 'keys', keys: ['k1'] },
        { type: 'keys', keys: ['k1'] },
      ]);
    });
  });
});
