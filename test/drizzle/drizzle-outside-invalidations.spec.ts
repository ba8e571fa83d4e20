import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { tableTag, type ChangeSink, type ChangeSource } from '@hydracache/nestjs';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { drizzleFixture, users, type DrizzleFixture } from './drizzle-fixture.js';

/** A change feed the test drives by hand. */
let sink: ChangeSink | undefined;
const feed: ChangeSource = {
  attach(s) {
    sink = s;
  },
  close: async () => {},
};

let f: DrizzleFixture;
beforeAll(async () => {
  f = await drizzleFixture('drizzle_outside', {}, (builder) => builder.changes(feed));
});
afterAll(async () => f.close());
beforeEach(async () => f.reset());

const names = async (): Promise<string[]> =>
  (await f.db.select({ name: users.name }).from(users).orderBy(users.id).$withCache()).map(
    (u) => u.name,
  );

/** Starts `names()` and holds its result back (it has read the rows) until the gate opens. */
async function heldRead(): Promise<{ result: Promise<string[]>; finish(): void }> {
  const gate = deferred<void>();
  const held = deferred<void>();
  f.pool.hold = gate.promise;
  f.pool.onHeld = () => held.resolve();
  const result = names();
  await held.promise;
  return { result, finish: () => gate.resolve() };
}

describe('Drizzle cache: invalidations from outside Drizzle overtake a running read', () => {
  it.each([
    ['cache.invalidateTag', () => f.cache.invalidateTag(tableTag('users'))],
    ['a change feed', async () => sink!.apply({ type: 'tags', tags: [tableTag('users')] })],
  ] as const)('a read overtaken by %s stores nothing', async (_path, invalidate) => {
    const read = await heldRead(); // it has read ada and bob
    await f.raw.query(`UPDATE users SET name = 'BOB' WHERE id = 2`); // a write Drizzle never sees
    await invalidate();
    read.finish();
    expect(await read.result).toEqual(['ada', 'bob']);
    expect(f.cache.diagnostics().entries).toBe(0);
    expect(await names()).toEqual(['ada', 'BOB']);
    expect(f.cache.diagnostics().entries).toBe(1);
    expect(f.adapter.diagnostics().pendingReads).toBe(0);
  });
});

describe('Drizzle cache: concurrent misses share one query', () => {
  it('a joiner takes the leader’s result, and the result is stored once', async () => {
    const misses = f.cache.stats().misses;
    const queries = f.pool.marked;
    const read = await heldRead();
    const joiner = names();
    await pollUntil(() => f.cache.stats().misses === misses + 2, 'the second read to miss');
    // Its own query would read this; joining the leader's load, it gets what the leader read.
    await f.raw.query(`UPDATE users SET name = 'BOB' WHERE id = 2`);
    read.finish();
    expect(await read.result).toEqual(['ada', 'bob']);
    expect(await joiner).toEqual(['ada', 'bob']);
    expect(f.pool.marked).toBe(queries + 1);
    expect(f.cache.diagnostics().entries).toBe(1);
    expect(f.adapter.diagnostics().pendingReads).toBe(0);
  });

  it('a leader whose query fails releases its joiners at once: they run their own query', async () => {
    const misses = f.cache.stats().misses;
    const gate = deferred<void>();
    const held = deferred<void>();
    f.pool.hold = gate.promise;
    f.pool.onHeld = () => held.resolve();
    const leader = names();
    const failed = expect(leader).rejects.toThrow(/Failed query/);
    await held.promise;
    const joiner = names();
    await pollUntil(() => f.cache.stats().misses === misses + 2, 'the second read to miss');
    gate.reject(new Error('connection lost'));
    await failed;
    // Without the leader's failure reaching it, the joiner would wait for the 30 s backstop.
    expect(await joiner).toEqual(['ada', 'bob']);
    expect(f.adapter.diagnostics().pendingReads).toBe(0);
    expect(f.cache.diagnostics().inFlightLoads).toBe(0);
    expect(await names()).toEqual(['ada', 'bob']);
    expect(f.cache.diagnostics().entries).toBe(1);
  });

  it('stores a result with the TTL its query asked for', async () => {
    const before = Date.now();
    await f.db
      .select()
      .from(users)
      .$withCache({ tag: 'ttl-users', config: { px: 60_000 } });
    const expiresAt = f.cache.expiresAt('drizzle:tag:ttl-users');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});
