import { jest } from '@jest/globals';
import { CacheError } from '../../../lib/core/cache.errors.js';
import { CacheBus } from '../../../lib/core/bus/cache-bus.js';
import { DEFAULT_BUS_OPTIONS } from '../../../lib/core/bus/cache-bus.options.js';
import { MemoryBusHub } from '../../../lib/core/bus/memory-transport.js';
import { FakeTarget, ScriptedTransport } from '../../support/bus-fakes.js';
import { installFakeClock, uninstallFakeClock } from '../../support/clock.js';

function buildWith(options: unknown): CacheBus {
  return new CacheBus(new ScriptedTransport(), new FakeTarget(), options as never);
}

function errorOf(fn: () => unknown): CacheError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CacheError) return error;
    throw error;
  }
  throw new Error('expected a CacheError');
}

describe('CacheBus options', () => {
  it('defaults: publishTimeout 250 ms, maxRetryItems 1000, disconnectedTtl 10 s', () => {
    expect(DEFAULT_BUS_OPTIONS).toEqual({
      publishTimeout: 250,
      maxRetryItems: 1000,
      disconnectedTtl: 10_000,
    });
    const bus = buildWith(undefined);
    expect(bus.ttlCap).toBe(10_000);
    void bus.close();
  });

  it.each([
    ['publishTimeout', -1],
    ['publishTimeout', Infinity],
    ['publishTimeout', '250'],
    ['maxRetryItems', 0],
    ['maxRetryItems', 1.5],
    ['disconnectedTtl', 0],
    ['disconnectedTtl', Infinity],
    ['disconnectedTtl', NaN],
    ['onWarn', 'console'],
  ])('rejects %s = %p with E_INVALID_OPTION naming it', (field, value) => {
    const error = errorOf(() => buildWith({ [field]: value }));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain(`"${field}"`);
  });

  it('rejects an unknown option, naming it and the known ones', () => {
    const error = errorOf(() => buildWith({ publishTimout: 100 }));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain('"publishTimout" in busOptions');
    expect(error.message).toContain('publishTimeout');
  });

  it('rejects something that is not a transport', () => {
    const error = errorOf(() => new CacheBus({ name: 'x' } as never, new FakeTarget()));
    expect(error.code).toBe('E_INVALID_OPTION');
    expect(error.message).toContain('"bus"');
  });

  it('accepts publishTimeout 0 (hand over without waiting)', () => {
    void buildWith({ publishTimeout: 0 }).close();
  });
});

describe('CacheBus close', () => {
  it('closes the transport once, however often it is called', async () => {
    const transport = new ScriptedTransport();
    const bus = new CacheBus(transport, new FakeTarget());
    await Promise.all([bus.close(), bus.close()]);
    await bus.close();
    expect(transport.closes).toBe(1);
    expect(bus.connected).toBe(false);
  });

  it('never rejects, even when the transport fails to close', async () => {
    const transport = new ScriptedTransport();
    transport.close = () => Promise.reject(new Error('socket already gone'));
    const warnings: string[] = [];
    const bus = new CacheBus(transport, new FakeTarget(), { onWarn: (m) => warnings.push(m) });
    await expect(bus.close()).resolves.toBeUndefined();
    expect(warnings).toEqual(['Closing the scripted bus transport failed.']);
  });

  it('survives a transport whose start throws, and warns', async () => {
    const transport = new ScriptedTransport();
    transport.start = () => {
      throw new Error('bad url');
    };
    const warnings: string[] = [];
    const bus = new CacheBus(transport, new FakeTarget(), { onWarn: (m) => warnings.push(m) });
    expect(warnings).toEqual(['The scripted bus transport failed to start.']);
    await bus.publish({ type: 'flush' }); // queued: never connected
    expect(bus.stats().retryQueueSize).toBe(1);
    await bus.close();
  });

  it('leaves no timer behind: a bus with a failing transport and a full retry queue closes cleanly', async () => {
    installFakeClock();
    const hub = new MemoryBusHub();
    const transport = hub.transport();
    const bus = new CacheBus(transport, new FakeTarget(), { onWarn: () => undefined });
    transport.holdPublishes();
    void bus.publish({ type: 'keys', keys: ['k'] }); // a publish wait in flight
    transport.goOffline(); // the outage clock runs
    await bus.publish({ type: 'tags', tags: ['t'] }); // the retry timer runs
    try {
      expect(jest.getTimerCount()).toBe(3);
      await bus.close();
      expect(jest.getTimerCount()).toBe(0);
      expect(bus.stats()).toMatchObject({ retryQueueSize: 0, connected: false });
    } finally {
      uninstallFakeClock();
    }
  });
});
