import { describe, expect, it } from '@jest/globals';
import { HydraCache, tableTag } from '../../../lib/index.js';
import { deferred } from '../../support/deferred.js';
import { pollUntil } from '../../support/poll.js';
import { ManualSource } from '../../support/manual-source.js';
import { MemoryTier } from '../../support/memory-tier.js';

/**
 * A memory tier that keeps applied positions, as `redisL2` does; its tag invalidations can be
 * held back (`hold`) to see what waits for them.
 */
class PositionTier extends MemoryTier {
  readonly positions = new Map<string, number>();
  held: Promise<void> | undefined;

  async recordApplied(stream: string, position: number): Promise<void> {
    this.positions.set(stream, Math.max(this.positions.get(stream) ?? 0, position));
  }

  async appliedPast(stream: string, position: number): Promise<boolean> {
    return (this.positions.get(stream) ?? -1) > position;
  }

  override async invalidateTags(tags: readonly string[]): Promise<void> {
    await this.held;
    return super.invalidateTags(tags);
  }
}

function instance(tier: MemoryTier): { cache: HydraCache; source: ManualSource } {
  const source = new ManualSource();
  return { cache: new HydraCache({ l2: tier, changes: source }), source };
}

describe('a second tier and a source that starts at a log position', () => {
  it('is not read until another instance reported applying the log past that position', async () => {
    const tier = new PositionTier();
    const writer = new HydraCache({ l2: tier });
    await writer.getOrLoad('k', {}, () => 'shared');
    const { cache, source } = instance(tier);
    source.sink.startAt('log', 100, 60_000);
    expect(cache.l2Stats()?.starting).toBe(true);
    expect(await cache.getOrLoad('other', {}, () => 'own')).toBe('own');
    expect(cache.l2Stats()).toMatchObject({ hits: 0, skipped: 1 });
    await tier.recordApplied('log', 100); // not past it
    await tier.recordApplied('log', 101);
    await pollUntil(() => cache.l2Stats()?.starting === false, 'the start to be vouched for');
    expect(await cache.getOrLoad('k', {}, () => 'loaded')).toBe('shared');
    expect(tier.calls).not.toContain('flush');
    await Promise.all([cache.close(), writer.close()]);
  });

  it('flushes the tier when nobody vouches in time, and only then reports its own positions', async () => {
    const tier = new PositionTier();
    const { cache, source } = instance(tier);
    source.sink.startAt('log', 100, 50);
    source.sink.appliedThrough('log', 150); // its start is not vouched for yet: not recorded
    await pollUntil(() => cache.l2Stats()?.starting === false, 'the wait to end');
    expect(tier.calls).toContain('flush');
    expect(tier.positions.get('log')).toBeUndefined();
    source.sink.appliedThrough('log', 160);
    await pollUntil(() => tier.positions.get('log') === 160, 'its own report');
    await cache.close();
  });

  it('reports a position only once the invalidations applied before it reached the tier', async () => {
    const tier = new PositionTier();
    const { cache, source } = instance(tier);
    source.sink.startAt('log', 1, 0);
    await pollUntil(() => cache.l2Stats()?.starting === false, 'the start');
    const gate = deferred<void>();
    tier.held = gate.promise;
    source.sink.apply({ type: 'tags', tags: [tableTag('users')] });
    source.sink.appliedThrough('log', 10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(tier.positions.get('log')).toBeUndefined();
    gate.resolve();
    await pollUntil(() => tier.positions.get('log') === 10, 'the report');
    await cache.close();
  });

  it('reports nothing while an invalidation waits for replay (the tier may lack it)', async () => {
    const tier = new PositionTier();
    const { cache, source } = instance(tier);
    source.sink.startAt('log', 1, 0);
    await pollUntil(() => cache.l2Stats()?.starting === false, 'the start');
    tier.failing = true;
    source.sink.apply({ type: 'tags', tags: [tableTag('users')] });
    await pollUntil(() => cache.l2Stats()?.trusted === false, 'the tier untrusted');
    tier.failing = false;
    source.sink.appliedThrough('log', 10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(tier.positions.get('log')).toBeUndefined();
    await cache.close();
  });

  it('a tier that keeps no positions is flushed at once, as before', async () => {
    const tier = new MemoryTier();
    const { cache, source } = instance(tier);
    source.sink.startAt('log', 100, 60_000);
    expect(cache.l2Stats()?.starting).toBe(false);
    await pollUntil(() => tier.calls.includes('flush'), 'the flush');
    await cache.close();
  });
});
