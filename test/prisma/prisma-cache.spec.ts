import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { tableTag } from '@hydracache/nestjs';
import { hydraCache } from '@hydracache/nestjs/prisma';
import { deferred } from '../support/deferred.js';
import { prismaFixture, type PrismaFixture } from './prisma-fixture.js';

let f: PrismaFixture;
beforeAll(async () => {
  f = await prismaFixture('prisma_cache');
});
afterAll(async () => f.close());
beforeEach(async () => f.reset());

const names = async (): Promise<string[]> =>
  (await f.prisma.user.findMany({ orderBy: { id: 'asc' }, cache: { ttl: 60_000 } })).map(
    (u: { name: string }) => u.name,
  );

describe('Prisma extension: reads', () => {
  it('serves a read with a cache argument from the cache, tagged with its @@map table', async () => {
    expect(await names()).toEqual(['ada', 'bob']);
    await f.raw.query(`UPDATE users SET name = 'ADA' WHERE id = 1`);
    expect(await names()).toEqual(['ada', 'bob']);
    await f.cache.invalidateTag(tableTag('users'));
    expect(await names()).toEqual(['ADA', 'bob']);
  });

  it('leaves reads without a cache argument alone', async () => {
    await f.prisma.user.findMany();
    await f.prisma.user.count();
    expect(f.cache.diagnostics().entries).toBe(0);
  });

  it('caches count, aggregate, groupBy and findUnique, with a custom key and tags', async () => {
    expect(await f.prisma.user.count({ cache: true })).toBe(2);
    expect(
      await f.prisma.user.findUnique({
        where: { id: 1 },
        cache: { key: 'user:1', tags: ['user:1'] },
      }),
    ).toEqual({ id: 1, name: 'ada' });
    await f.prisma.post.groupBy({ by: ['authorId'], _count: true, cache: true });
    await f.prisma.user.aggregate({ _max: { id: true }, cache: true });
    expect(f.cache.diagnostics().entries).toBe(4);
    expect(await f.cache.invalidateTag('user:1')).toBe(1);
  });

  it('tags a read with the tables of the relations it includes or filters on', async () => {
    const withPosts = () =>
      f.prisma.user.findMany({
        where: { posts: { some: { title: 'hello' } } },
        include: { posts: { select: { title: true } } },
        cache: true,
      });
    expect((await withPosts())[0].posts).toEqual([{ title: 'hello' }]);
    await f.prisma.post.update({ where: { id: 1 }, data: { title: 'bye' } });
    expect(await withPosts()).toEqual([]);
  });

  it('runs one query for concurrent identical reads', async () => {
    const hits = f.cache.stats();
    await Promise.all([names(), names(), names()]);
    expect(f.cache.stats().loads - hits.loads).toBe(1);
  });

  it('rejects a malformed cache argument', async () => {
    await expect(f.prisma.user.findMany({ cache: { tll: 5 } })).rejects.toThrow(
      /Unknown option "tll"/,
    );
  });
});

describe('Prisma extension: writes invalidate after they commit', () => {
  it.each([
    ['create', () => f.prisma.user.create({ data: { name: 'cy' } }), ['ada', 'bob', 'cy']],
    [
      'update',
      () => f.prisma.user.update({ where: { id: 2 }, data: { name: 'BOB' } }),
      ['ada', 'BOB'],
    ],
    ['deleteMany', () => f.prisma.user.deleteMany({ where: { id: 2 } }), ['ada']],
    [
      'createMany',
      () => f.prisma.user.createMany({ data: [{ name: 'cy' }] }),
      ['ada', 'bob', 'cy'],
    ],
    [
      'upsert',
      () =>
        f.prisma.user.upsert({ where: { id: 2 }, update: { name: 'B' }, create: { name: 'x' } }),
      ['ada', 'B'],
    ],
  ] as const)('an auto-commit %s', async (_op, write, expected) => {
    await names();
    await write();
    expect(await names()).toEqual(expected);
  });

  it('a nested write invalidates the related table too', async () => {
    const titles = () => f.prisma.post.findMany({ select: { title: true }, cache: true });
    await titles();
    await f.prisma.user.update({ where: { id: 2 }, data: { posts: { create: { title: 'new' } } } });
    expect(await titles()).toHaveLength(2);
  });

  it('an interactive transaction: not before COMMIT, at once after', async () => {
    await names();
    const commit = deferred<void>();
    const wrote = deferred<void>();
    const tx = f.prisma.$transaction(async (t: any) => {
      await t.user.create({ data: { name: 'cy' } });
      expect(await t.user.findMany({ orderBy: { id: 'asc' }, cache: true })).toHaveLength(3);
      wrote.resolve();
      await commit.promise;
    });
    await wrote.promise;
    try {
      // The cached answer is still the committed state, and the transaction stored nothing.
      expect(await names()).toEqual(['ada', 'bob']);
      expect(f.cache.stats().hits).toBeGreaterThan(0);
    } finally {
      commit.resolve();
      await tx;
    }
    expect(await names()).toEqual(['ada', 'bob', 'cy']);
  });

  it('a nested interactive transaction waits for the outer COMMIT', async () => {
    await names();
    await f.prisma.$transaction(async (t: any) => {
      await t.$transaction(async (nested: any) => nested.user.create({ data: { name: 'cy' } }));
      expect(await names()).toEqual(['ada', 'bob']); // the nested commit released a savepoint only
    });
    expect(await names()).toEqual(['ada', 'bob', 'cy']);
  });

  it('a rolled-back interactive transaction keeps the cache', async () => {
    await names();
    await expect(
      f.prisma.$transaction(async (t: any) => {
        await t.user.create({ data: { name: 'cy' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const hits = f.cache.stats().hits;
    expect(await names()).toEqual(['ada', 'bob']);
    expect(f.cache.stats().hits).toBe(hits + 1);
  });

  it('an interactive transaction whose COMMIT failed invalidates (its outcome is unknown)', async () => {
    await names();
    await expect(
      f.prisma.$transaction(async (t: any) => {
        await t.user.update({ where: { id: 1 }, data: { name: 'ADA' } });
        await t.post.create({ data: { title: 'hello', authorId: 1 } }); // duplicate, checked at COMMIT
      }),
    ).rejects.toThrow();
    const loads = f.cache.stats().loads;
    expect(await names()).toEqual(['ada', 'bob']);
    expect(f.cache.stats().loads).toBe(loads + 1);
  });

  it('a batch transaction invalidates once it answered', async () => {
    await names();
    await f.prisma.$transaction([f.prisma.user.create({ data: { name: 'cy' } })]);
    expect(await names()).toEqual(['ada', 'bob', 'cy']);
  });

  it('a read that started before a committed write does not store its result', async () => {
    const gate = deferred<void>();
    const held = deferred<void>();
    // A read through a second extension layer whose query waits on the gate after reading.
    const slowPrisma = f.base
      .$extends({
        query: {
          $allModels: {
            async findMany({ args, query }: any) {
              const rows = await query(args);
              held.resolve();
              await gate.promise;
              return rows;
            },
          },
        },
      })
      .$extends(hydraCache(f.cache));
    // Prisma queries are lazy: `then` starts this one.
    const slow = slowPrisma.user
      .findMany({ orderBy: { id: 'asc' }, cache: true })
      .then((rows: unknown[]) => rows);
    await held.promise; // it has read ada and bob, and waits
    await f.prisma.user.create({ data: { name: 'cy' } });
    gate.resolve();
    expect(await slow).toHaveLength(2);
    expect(f.cache.diagnostics().entries).toBe(0);
  });
});
