import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CACHE_CHANNELS, HydraCache, type L2Event } from '../../../lib/index.js';
import { MAX_PENDING_INVALIDATIONS } from '../../../lib/core/l2/pending-invalidations.js';
import { advance, installFakeClock } from '../../support/clock.js';
import { deferred, flushMicrotasks } from '../../support/deferred.js';
import { MemoryTier } from '../../support/memory-tier.js';

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('the second-tier seam of the core', () => {
  it('an L1 miss reads the tier inside the single-flight; a hit needs no loader and lands in L1', async () => {
    const tier = new MemoryTier();
    const a = new HydraCache({ l2: tier });
    const b = new HydraCache({ l2: tier });
    await a.getOrLoad('k', { tags: ['t'] }, () => ({ n: 1 }));
    const loader = jest.fn(() => ({ n: 2 }));
    const values = await Promise.all([1, 2, 3].map(() => b.getOrLoad('k', {}, loader)));
    expect(values).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    expect(loader).not.toHaveBeenCalled();
    expect(b.stats()).toMatchObject({ loads: 0, misses: 3, singleFlightJoins: 2 });
    expect(tier.calls.filter((c) => c === 'lookup')).toHaveLength(2); // one per instance
    expect(await b.invalidateTag('t')).toBe(1); // stored in B's L1 with the entry's tags
  });

  it('an L1 hit never touches the tier', async () => {
    const tier = new MemoryTier();
    const cache = new HydraCache({ l2: tier });
    await cache.getOrLoad('k', {}, () => 1);
    const before = tier.calls.length;
    for (let i = 0; i < 1_000; i++) await cache.getOrLoad('k', {}, () => 2);
    expect(tier.calls.length).toBe(before);
  });

  it('a background refresh goes to the loader, not to the tier that may hold the same old value', async () => {
    installFakeClock();
    const tier = new MemoryTier();
    const cache = new HydraCache({ l2: tier, refreshAhead: 0.5 });
    await cache.getOrLoad('k', { ttl: 1_000 }, () => 'v1');
    advance(600);
    const loader = jest.fn(() => 'v2');
    await cache.getOrLoad('k', { ttl: 1_000 }, loader);
    await flushMicrotasks();
    expect(loader).toHaveBeenCalledTimes(1);
    expect(tier.calls.filter((c) => c === 'lookup')).toHaveLength(1);
  });

  it('a re-entrant loader is still refused when a tier lookup came first', async () => {
    const cache = new HydraCache({ l2: new MemoryTier() });
    const inner: Promise<unknown>[] = [];
    await cache.getOrLoad('k', {}, () => {
      inner.push(cache.getOrLoad('k', {}, () => 1));
      return 2;
    });
    await expect(inner[0]).rejects.toMatchObject({ code: 'E_REENTRANT_LOAD' });
  });

  it('a failing tier never fails a call: loads, puts and invalidations go on, counted', async () => {
    const tier = new MemoryTier();
    tier.failing = true;
    const cache = new HydraCache({ l2: tier });
    expect(await cache.getOrLoad('k', {}, () => 'v')).toBe('v');
    await cache.put('p', 1);
    await cache.invalidateTag('t');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await cache.close(); // its last replay fails too, which it says
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('closed with 2 invalidation(s)'));
    expect(cache.l2Stats()).toMatchObject({ errors: 3, trusted: false, pendingInvalidations: 2 });
  });

  it('an invalidation the tier missed: not read or filled until replayed, then trusted again', async () => {
    jest.useFakeTimers();
    const tier = new MemoryTier();
    const cache = new HydraCache({ l2: tier });
    const events: L2Event[] = [];
    const listen = (event: unknown): void => void events.push(event as L2Event);
    subscribe(CACHE_CHANNELS.l2, listen);
    try {
      tier.failing = true;
      await cache.invalidateTag('t');
      tier.failing = false;
      const calls = tier.calls.length;
      expect(await cache.getOrLoad('k', {}, () => 'v')).toBe('v');
      expect(tier.calls.length).toBe(calls); // neither read nor filled
      expect(cache.l2Stats()).toMatchObject({ trusted: false, skipped: 1 });
      await jest.advanceTimersByTimeAsync(100);
      expect(tier.calls.slice(calls)).toEqual(['tags t']);
      expect(cache.l2Stats()).toMatchObject({ trusted: true, pendingInvalidations: 0 });
      expect(events.map((e) => e.event)).toEqual(['error', 'untrusted', 'trusted']);
    } finally {
      unsubscribe(CACHE_CHANNELS.l2, listen);
    }
  });

  it('replays back off while the tier stays down; past the bound the record becomes one flush', async () => {
    jest.useFakeTimers();
    const tier = new MemoryTier();
    const cache = new HydraCache({ l2: tier });
    tier.failing = true;
    for (let i = 0; i <= MAX_PENDING_INVALIDATIONS; i++) await cache.invalidateKey(`k${i}`);
    expect(cache.l2Stats()?.pendingInvalidations).toBe(1);
    await jest.advanceTimersByTimeAsync(100 + 200 + 400);
    expect(cache.l2Stats()?.trusted).toBe(false);
    tier.failing = false;
    await jest.advanceTimersByTimeAsync(800);
    expect(tier.calls).toEqual(['flush']);
    expect(cache.l2Stats()?.trusted).toBe(true);
    await cache.close();
  });

  it('a load overtaken by a local invalidation fills nothing; one overtaken elsewhere is refused by the tier', async () => {
    const tier = new MemoryTier();
    const a = new HydraCache({ l2: tier });
    const b = new HydraCache({ l2: tier });
    const gate = deferred<string>();
    const started = deferred<void>();
    const load = a.getOrLoad('k', { tags: ['t'] }, () => {
      started.resolve();
      return gate.promise;
    });
    await started.promise;
    await a.invalidateTag('t');
    gate.resolve('old');
    await load;
    expect(tier.calls).not.toContain('fill');

    const gate2 = deferred<string>();
    const started2 = deferred<void>();
    const load2 = a.getOrLoad('k', { tags: ['t'] }, () => {
      started2.resolve();
      return gate2.promise;
    });
    await started2.promise;
    await b.invalidateTag('t');
    gate2.resolve('old');
    await load2;
    expect(a.l2Stats()).toMatchObject({ fills: 0, refusedFills: 1 });
  });

  it('a source of changes bumps the tier on every instance it reaches', async () => {
    const tier = new MemoryTier();
    let sink: { apply(change: unknown): number } | undefined;
    const source = {
      attach: (s: typeof sink) => void (sink = s),
      close: async () => undefined,
    };
    const cache = new HydraCache({ l2: tier, changes: source as never });
    await cache.getOrLoad('k', { tags: ['t'] }, () => 'v');
    sink!.apply({ type: 'tags', tags: ['t'] });
    await Promise.resolve();
    expect(tier.calls).toContain('tags t');
  });

  it('close() closes the tier', async () => {
    const tier = new MemoryTier();
    await new HydraCache({ l2: tier }).close();
    expect(tier.closed).toBe(true);
  });

  it('validates l2, l2MaxEntryBytes and the per-entry l2 option', async () => {
    expect(() => new HydraCache({ l2: { lookup: 1 } as never })).toThrow(/"l2"/);
    expect(() => new HydraCache({ l2: new MemoryTier(), l2MaxEntryBytes: 0 })).toThrow(
      /l2MaxEntryBytes/,
    );
    const cache = new HydraCache({ l2: new MemoryTier() });
    await expect(cache.getOrLoad('k', { l2: 'no' } as never, () => 1)).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
    });
    expect(() => HydraCache.local().l2(new MemoryTier(), { maxEntryBytes: -1 })).toThrow(
      /l2MaxEntryBytes/,
    );
  });
});
