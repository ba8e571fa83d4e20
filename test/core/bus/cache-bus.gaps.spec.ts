import { CacheBus } from '../../../lib/core/bus/cache-bus.js';
import { FakeTarget, ScriptedTransport } from '../../support/bus-fakes.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';

describe('CacheBus gaps and outages', () => {
  let transport: ScriptedTransport;
  let target: FakeTarget;
  let bus: CacheBus;

  function build(disconnectedTtl = 10_000): void {
    transport = new ScriptedTransport();
    target = new FakeTarget();
    bus = new CacheBus(transport, target, { disconnectedTtl, onWarn: () => undefined });
  }

  beforeEach(() => installFakeClock());
  afterEach(async () => {
    await bus.close();
    uninstallFakeClock();
  });

  describe('a reported gap drops the local cache', () => {
    beforeEach(() => {
      build();
      transport.listener.connected({ gap: false });
    });

    it('gap() while connected', () => {
      target.size = 3;
      transport.listener.gap();
      expect(target.applied).toEqual([{ type: 'flush' }]);
      expect(bus.stats()).toMatchObject({ gapsDetected: 1, resyncs: 1, connected: true });
    });

    it('a reconnect with a gap', () => {
      transport.listener.disconnected();
      target.size = 3;
      transport.listener.connected({ gap: true });
      expect(target.applied).toEqual([{ type: 'flush' }]);
      expect(bus.stats()).toMatchObject({ gapsDetected: 1, resyncs: 1, disconnects: 1 });
    });

    it('not a reconnect the transport proves gap-free', () => {
      transport.listener.disconnected();
      target.size = 3;
      transport.listener.connected({ gap: false });
      expect(target.applied).toEqual([]);
      expect(bus.stats()).toMatchObject({ gapsDetected: 0, resyncs: 0, connected: true });
    });

    it('a running load counts even with nothing stored (it may store what was missed)', () => {
      target.loading = 1;
      transport.listener.gap();
      expect(target.flushes).toBe(1);
    });

    it('not when nothing is stored or loading', () => {
      transport.listener.gap();
      expect(target.applied).toEqual([]);
      expect(bus.stats()).toMatchObject({ gapsDetected: 1, resyncs: 0 });
    });

    it('always when the cache cannot tell its running loads', () => {
      target.loading = undefined;
      transport.listener.gap();
      expect(target.flushes).toBe(1);
    });
  });

  describe('the first connect', () => {
    it('drops what was stored before it: nothing from other instances was heard', () => {
      build();
      expect(bus.connected).toBe(false);
      target.size = 2;
      transport.listener.connected({ gap: false });
      expect(target.flushes).toBe(1);
      expect(bus.stats()).toMatchObject({ resyncs: 1, gapsDetected: 0, connected: true });
    });

    it('drops nothing when nothing was stored or loading', () => {
      build();
      transport.listener.connected({ gap: false });
      expect(target.applied).toEqual([]);
    });

    it('drops nothing when the transport connects while the bus is being built', () => {
      transport = new ScriptedTransport();
      transport.start = (listener) => listener.connected({ gap: true });
      target = new FakeTarget();
      target.loading = undefined;
      bus = new CacheBus(transport, target);
      expect(target.applied).toEqual([]);
      expect(bus.connected).toBe(true);
    });
  });

  describe('serving while disconnected is bounded by disconnectedTtl', () => {
    it('caps write TTLs while disconnected, and lifts the cap while connected', () => {
      build(5_000);
      expect(bus.ttlCap).toBe(5_000); // not yet connected
      transport.listener.connected({ gap: false });
      expect(bus.ttlCap).toBe(Infinity);
      transport.listener.disconnected();
      expect(bus.ttlCap).toBe(5_000);
      transport.listener.connected({ gap: true });
      expect(bus.ttlCap).toBe(Infinity);
    });

    it('flushes once when an outage lasts disconnectedTtl', () => {
      build(5_000);
      transport.listener.connected({ gap: false });
      target.size = 4;
      transport.listener.disconnected();
      advance(4_999);
      expect(target.applied).toEqual([]);
      advance(1);
      expect(target.applied).toEqual([{ type: 'flush' }]);
      advance(60_000);
      expect(target.flushes).toBe(1);
      expect(bus.stats()).toMatchObject({ outageFlushes: 1, connected: false });
    });

    it('does not flush when the bus reconnects in time, and starts over on the next outage', () => {
      build(5_000);
      transport.listener.connected({ gap: false });
      transport.listener.disconnected();
      advance(4_000);
      transport.listener.connected({ gap: false });
      advance(10_000);
      expect(target.applied).toEqual([]);
      transport.listener.disconnected();
      advance(4_000);
      expect(target.applied).toEqual([]);
      advance(1_000);
      expect(target.flushes).toBe(1);
    });

    it('counts from start when the transport never connects (Redis down at start-up)', () => {
      build(5_000);
      advance(5_000);
      expect(bus.stats()).toMatchObject({ outageFlushes: 1, connected: false, disconnects: 0 });
    });

    it('ignores a disconnect reported twice', () => {
      build(5_000);
      transport.listener.connected({ gap: false });
      transport.listener.disconnected();
      advance(3_000);
      transport.listener.disconnected();
      advance(2_000);
      expect(bus.stats()).toMatchObject({ outageFlushes: 1, disconnects: 1 });
    });
  });
});
