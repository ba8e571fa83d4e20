import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { deferred } from '../support/deferred.js';
import { pollUntil } from '../support/poll.js';
import { drizzleFixture, users, type DrizzleFixture } from './drizzle-fixture.js';
import { PG } from './pg-database.js';

let f: DrizzleFixture;
beforeAll(async () => {
  f = await drizzleFixture('drizzle_stale');
});
afterAll(async () => f.close());
beforeEach(async () => f.reset());

const names = async (): Promise<string[]> =>
  (await f.db.select({ name: users.name }).from(users).orderBy(users.id).$withCache()).map(
    (u) => u.name,
  );

describe('Drizzle cache: no result older than a committed write is stored', () => {
  it('a read during an open transaction that wrote its table stores nothing', async () => {
    const commit = deferred<void>();
    const wrote = deferred<void>();
    const tx = f.db.transaction(async (t) => {
      await t.insert(users).values({ name: 'cy' });
      wrote.resolve();
      await commit.promise;
    });
    await wrote.promise;
    try {
      // Postgres answers with the committed state, which the commit is about to make stale.
      expect(await names()).toEqual(['ada', 'bob']);
      expect(f.cache.diagnostics().entries).toBe(0);
      expect(f.adapter.diagnostics().refusedPuts).toBeGreaterThan(0);
    } finally {
      commit.resolve(); // a failed expectation must not leave the transaction holding its locks
      await tx;
    }
    expect(await names()).toEqual(['ada', 'bob', 'cy']);
    expect(f.adapter.diagnostics()).toMatchObject({ heldTables: 0, pendingReads: 0 });
  });

  it('a read during an auto-commit write still running stores nothing (Drizzle would invalidate before it commits)', async () => {
    const locker = new pg.Client({ ...PG, database: f.database });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT * FROM users WHERE id = 2 FOR UPDATE');
    const running = f.db
      .update(users)
      .set({ name: 'BOB' })
      .where(eq(users.id, 2))
      .then(() => undefined);
    try {
      await pollUntil(
        async () =>
          (
            await f.raw.query(
              `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'update "users"%'`,
            )
          ).rowCount === 1,
        'the update to wait on the row lock',
      );
      expect(await names()).toEqual(['ada', 'bob']);
      expect(f.cache.diagnostics().entries).toBe(0);
    } finally {
      await locker.query('COMMIT');
      await running;
      await locker.end();
    }
    expect(await names()).toEqual(['ada', 'BOB']);
  });

  it('a read that started before a committed write and finished after it stores nothing', async () => {
    const gate = deferred<void>();
    const held = deferred<void>();
    f.pool.hold = gate.promise;
    f.pool.onHeld = () => held.resolve();
    const slow = names();
    await held.promise; // it has read ada and bob, and waits
    await f.db.insert(users).values({ name: 'cy' });
    gate.resolve();
    expect(await slow).toEqual(['ada', 'bob']);
    expect(f.cache.diagnostics().entries).toBe(0);
    expect(await names()).toEqual(['ada', 'bob', 'cy']);
    expect(f.cache.diagnostics().entries).toBe(1);
  });

  it('a read that finished before the write began is stored and then invalidated', async () => {
    const refused = f.adapter.diagnostics().refusedPuts;
    expect(await names()).toEqual(['ada', 'bob']);
    expect(f.cache.diagnostics().entries).toBe(1);
    await f.db.insert(users).values({ name: 'cy' });
    expect(f.cache.diagnostics().entries).toBe(0);
    expect(f.adapter.diagnostics().refusedPuts).toBe(refused);
  });
});
