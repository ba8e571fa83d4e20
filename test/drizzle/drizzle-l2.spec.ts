import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { tableTag } from '@hydracache/nestjs';
import { deferred } from '../support/deferred.js';
import { MemoryTier } from '../support/memory-tier.js';
import { drizzleFixture, users, type DrizzleFixture } from './drizzle-fixture.js';

// With a second tier, getOrLoad calls the loader only after an await (the tier's lookup).
const tier = new MemoryTier();
let f: DrizzleFixture;
beforeAll(async () => {
  f = await drizzleFixture('drizzle_l2', {}, (builder) => builder.l2(tier));
});
afterAll(async () => f.close());
beforeEach(async () => f.reset());

const names = async (): Promise<string[]> =>
  (await f.db.select({ name: users.name }).from(users).orderBy(users.id).$withCache()).map(
    (u) => u.name,
  );

describe('Drizzle cache with a second tier', () => {
  it('a miss runs the query once and stores it in both tiers; the next read is a hit', async () => {
    const queries = f.pool.marked;
    expect(await names()).toEqual(['ada', 'bob']);
    expect(f.cache.diagnostics().entries).toBe(1);
    expect(tier.calls).toContain('fill');
    expect(await names()).toEqual(['ada', 'bob']);
    expect(f.pool.marked).toBe(queries + 1);
    expect(f.adapter.diagnostics().pendingReads).toBe(0);
  });

  it('a read overtaken by an invalidation stores nothing', async () => {
    const gate = deferred<void>();
    const held = deferred<void>();
    f.pool.hold = gate.promise;
    f.pool.onHeld = () => held.resolve();
    const slow = names();
    await held.promise;
    await f.raw.query(`UPDATE users SET name = 'BOB' WHERE id = 2`);
    await f.cache.invalidateTag(tableTag('users'));
    gate.resolve();
    expect(await slow).toEqual(['ada', 'bob']);
    expect(f.cache.diagnostics().entries).toBe(0);
    expect(await names()).toEqual(['ada', 'BOB']);
  });
});
