import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { CacheError, HydraCache, tableTag } from '@hydracache/nestjs';
import { hydraDrizzle, hydraDrizzleCache } from '@hydracache/nestjs/drizzle';
import { drizzleFixture, posts, users, type DrizzleFixture } from './drizzle-fixture.js';

let f: DrizzleFixture;
beforeAll(async () => {
  f = await drizzleFixture('drizzle_cache');
});
afterAll(async () => f.close());
beforeEach(async () => f.reset());

const names = (): Promise<{ name: string }[]> =>
  f.db.select({ name: users.name }).from(users).orderBy(users.id).$withCache();

describe('Drizzle cache: reads', () => {
  it('serves a repeated $withCache select from the cache', async () => {
    expect(await names()).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    // Drizzle never hears of this write, so only a cached answer still says 'ada'.
    await f.raw.query(`UPDATE users SET name = 'ADA' WHERE id = 1`);
    expect(await names()).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    expect(f.cache.stats().hits).toBe(1);
  });

  it('leaves selects without $withCache alone unless global is set', async () => {
    await f.db.select().from(users);
    expect(f.cache.diagnostics().entries).toBe(0);
    const { adapter, cache } = f;
    expect(adapter.strategy()).toBe('explicit');
    expect(hydraDrizzleCache(cache, { global: true }).strategy()).toBe('all');
  });

  it('tags a join with every table it reads', async () => {
    const join = () =>
      f.db
        .select({ name: users.name, title: posts.title })
        .from(posts)
        .innerJoin(users, eq(users.id, posts.userId))
        .$withCache();
    await join();
    expect(f.cache.diagnostics().indexedTags).toBe(2);
    await f.db.update(users).set({ name: 'ADA' }).where(eq(users.id, 1));
    expect(await join()).toEqual([{ name: 'ADA', title: 'hello' }]);
    await f.db.update(posts).set({ title: 'bye' });
    expect(await join()).toEqual([{ name: 'ADA', title: 'bye' }]);
  });

  it('honours a per-query TTL and a custom tag', async () => {
    const tagged = () =>
      f.db
        .select()
        .from(users)
        .$withCache({ tag: 'all-users', config: { px: 60_000 } });
    await tagged();
    expect(await f.cache.containsKey('drizzle:tag:all-users')).toBe(true);
    await f.db.$cache.invalidate({ tags: 'all-users' });
    expect(await f.cache.containsKey('drizzle:tag:all-users')).toBe(false);
  });
});

describe('Drizzle cache: writes invalidate after they commit', () => {
  it.each([
    ['insert', () => f.db.insert(users).values({ name: 'cy' }), ['ada', 'bob', 'cy']],
    [
      'update',
      () => f.db.update(users).set({ name: 'BOB' }).where(eq(users.id, 2)),
      ['ada', 'BOB'],
    ],
    ['delete', () => f.db.delete(users).where(eq(users.id, 2)), ['ada']],
  ] as const)('an auto-commit %s', async (_kind, write, expected) => {
    await names();
    await write();
    expect((await names()).map((u) => u.name)).toEqual(expected);
  });

  it('a committed transaction, once COMMIT returned', async () => {
    await names();
    await f.db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'cy' });
      // Not yet committed: the cached answer is still the committed state.
      expect(await f.cache.containsKey(`drizzle:${await keyOfNames()}`)).toBe(true);
    });
    expect((await names()).map((u) => u.name)).toEqual(['ada', 'bob', 'cy']);
  });

  it('a rolled-back transaction keeps the cache', async () => {
    await names();
    await expect(
      f.db.transaction(async (tx) => {
        await tx.insert(users).values({ name: 'cy' });
        tx.rollback();
      }),
    ).rejects.toThrow();
    const hits = f.cache.stats().hits;
    expect((await names()).map((u) => u.name)).toEqual(['ada', 'bob']);
    expect(f.cache.stats().hits).toBe(hits + 1);
    expect(f.adapter.diagnostics().heldTables).toBe(0);
  });

  it('a transaction whose COMMIT failed invalidates (its outcome is unknown)', async () => {
    await names();
    await expect(
      f.db.transaction(async (tx) => {
        await tx.update(users).set({ name: 'ADA' }).where(eq(users.id, 1));
        await tx.insert(posts).values({ userId: 1, title: 'hello' }); // duplicate, checked at COMMIT
      }),
    ).rejects.toThrow();
    expect(await f.cache.containsKey(`drizzle:${await keyOfNames()}`)).toBe(false);
    expect(await names()).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    expect(f.adapter.diagnostics().heldTables).toBe(0);
  });

  it('reads inside a transaction see its own writes and are never stored', async () => {
    await names();
    await f.db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'cy' });
      const inside = await tx
        .select({ name: users.name })
        .from(users)
        .orderBy(users.id)
        .$withCache();
      expect(inside.map((u) => u.name)).toEqual(['ada', 'bob', 'cy']);
      await tx.select().from(posts).$withCache();
    });
    expect(await f.cache.containsKey(`drizzle:${await keyOfPosts()}`)).toBe(false);
  });

  it('db.$cache.invalidate after raw SQL invalidates at once', async () => {
    await names();
    await f.raw.query(`INSERT INTO users (name) VALUES ('cy')`);
    await f.db.$cache.invalidate({ tables: users });
    expect((await names()).map((u) => u.name)).toEqual(['ada', 'bob', 'cy']);
    await f.raw.query(`INSERT INTO users (name) VALUES ('dee')`);
    await f.cache.invalidateTag(tableTag('users'));
    expect(await names()).toHaveLength(4);
  });
});

describe('Drizzle cache: misuse', () => {
  it('refuses to serve a database hydraDrizzle did not bind', async () => {
    const cache = HydraCache.local().build();
    const db = drizzle(f.pool, { cache: hydraDrizzleCache(cache) });
    await expect(db.select().from(users).$withCache()).rejects.toMatchObject({
      code: 'E_DRIZZLE_UNBOUND',
    });
    await cache.close();
  });

  it('rejects a database without a HydraCache Drizzle cache, and bad options', () => {
    expect(() => hydraDrizzle(drizzle(f.pool))).toThrow(CacheError);
    expect(() => hydraDrizzleCache(f.cache, { ttl: -1 })).toThrow(/"ttl"/);
    expect(() => hydraDrizzleCache(f.cache, { tll: 5 } as never)).toThrow(/Unknown option "tll"/);
  });
});

/** The key Drizzle hashes the `names()` query to (read back from the cache's single entry). */
async function keyOfNames(): Promise<string> {
  const { hashQuery } = await import('drizzle-orm/cache/core');
  const q = f.db.select({ name: users.name }).from(users).orderBy(users.id).toSQL();
  return hashQuery(q.sql, q.params);
}

async function keyOfPosts(): Promise<string> {
  const { hashQuery } = await import('drizzle-orm/cache/core');
  const q = f.db.select().from(posts).toSQL();
  return hashQuery(q.sql, q.params);
}
