import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { HydraCache, tableTag } from '../../lib/index.js';
import { Audit, Member, Team } from './support/entities.js';
import {
  cachedDataSource,
  createDatabase,
  databaseName,
  dropDatabase,
  DRIVERS,
  QueryLog,
  seedTeam,
  type Driver,
} from './support/data-sources.js';

/** A WHERE clause node-sql-parser cannot parse in each dialect (valid SQL for the server). */
const UNPARSEABLE: Record<Driver, string> = {
  postgres: 'member.name NOTNULL',
  sqlite: 'member.name NOTNULL',
  mariadb: 'member.name <=> member.name',
};

describe.each(DRIVERS)(
  'writes through the DataSource invalidate cached queries (%s)',
  (driver: Driver) => {
    const name = databaseName('invalidation', driver);
    let cache: HydraCache;
    let log: QueryLog;
    let dataSource: DataSource;
    let teamId: number;

    const findMembers = () =>
      dataSource.getRepository(Member).find({ order: { id: 'ASC' }, cache: 60_000 });
    const findWithTeam = () =>
      dataSource
        .getRepository(Member)
        .find({ relations: { team: true }, order: { id: 'ASC' }, cache: 60_000 });

    beforeAll(() => createDatabase(driver, name));
    afterAll(() => dropDatabase(driver, name));

    beforeEach(async () => {
      cache = new HydraCache();
      log = new QueryLog();
      dataSource = await cachedDataSource(driver, name, cache, log);
      teamId = (await seedTeam(dataSource, log)).id;
    });

    afterEach(async () => {
      await dataSource.destroy();
      await cache.close();
    });

    it('a repository save drops the cached queries of its table', async () => {
      await findMembers();
      await dataSource.getRepository(Member).save({ name: 'cyd' });
      const after = await findMembers();
      expect(after.map((m) => m.name)).toEqual(['ada', 'bob', 'cyd']);
      expect(log.selects('member')).toBe(2);
    });

    it('a write to another table keeps them', async () => {
      await findMembers();
      await dataSource.getRepository(Audit).save({ note: 'unrelated' });
      await findMembers();
      expect(log.selects('member')).toBe(1);
    });

    it('a write to a joined table drops the join', async () => {
      await findWithTeam();
      await dataSource.getRepository(Team).update(teamId, { name: 'platform' });
      const after = await findWithTeam();
      expect(after[0]!.team!.name).toBe('platform');
    });

    it('invalidates only once the transaction commits', async () => {
      await findMembers();
      await dataSource.transaction(async (manager) => {
        await manager.save(Member, { name: 'cyd' });
        // Written but not committed: other connections still read the old rows, so the entry stays.
        expect(cache.diagnostics().entries).toBe(1);
      });
      expect(cache.diagnostics().entries).toBe(0);
      expect((await findMembers()).map((m) => m.name)).toEqual(['ada', 'bob', 'cyd']);
    });

    it('a rollback keeps the cache', async () => {
      await findMembers();
      await expect(
        dataSource.transaction(async (manager) => {
          await manager.save(Member, { name: 'cyd' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect((await findMembers()).map((m) => m.name)).toEqual(['ada', 'bob']);
      expect(log.selects('member')).toBe(1);
    });

    it('QueryBuilder update, insert and delete invalidate', async () => {
      const builder = () => dataSource.createQueryBuilder();
      await findMembers();
      await builder()
        .update(Member)
        .set({ name: 'ann' })
        .where('name = :n', { n: 'ada' })
        .execute();
      expect((await findMembers()).map((m) => m.name)).toEqual(['ann', 'bob']);
      await builder().insert().into(Member).values({ name: 'cyd' }).execute();
      expect((await findMembers()).map((m) => m.name)).toEqual(['ann', 'bob', 'cyd']);
      await builder().delete().from(Member).where('name = :n', { n: 'bob' }).execute();
      expect((await findMembers()).map((m) => m.name)).toEqual(['ann', 'cyd']);
    });

    it('a raw UPDATE through dataSource.query invalidates', async () => {
      await findMembers();
      await dataSource.query(`UPDATE member SET name = 'zed' WHERE name = 'bob'`);
      expect((await findMembers()).map((m) => m.name)).toEqual(['ada', 'zed']);
    });

    it('a statement it cannot read the tables of flushes the cache', async () => {
      await findMembers();
      await cache.put('elsewhere', 1, { tags: [tableTag('team')] });
      await dataSource.query('ALTER TABLE audit ADD COLUMN extra INT');
      expect(cache.diagnostics().entries).toBe(0);
    });

    it('caches SQL it cannot parse under the any-table tag, which every write drops', async () => {
      const query = () =>
        dataSource
          .getRepository(Member)
          .createQueryBuilder('member')
          .where(UNPARSEABLE[driver])
          .cache(60_000)
          .getMany();
      await query();
      await query();
      expect(log.selects('member')).toBe(1);
      await dataSource.getRepository(Audit).save({ note: 'any write' });
      await query();
      expect(log.selects('member')).toBe(2);
    });

    it('a read inside a transaction that wrote its table sees the write, and is not stored', async () => {
      await findMembers();
      await dataSource.transaction(async (manager) => {
        await manager.save(Member, { name: 'cyd' });
        const inside = await manager.find(Member, { order: { id: 'ASC' }, cache: 60_000 });
        expect(inside.map((m) => m.name)).toEqual(['ada', 'bob', 'cyd']);
        const audits = await manager.find(Audit, { cache: 60_000 });
        expect(audits).toEqual([]);
        expect(cache.diagnostics().entries).toBe(1); // the member query from before; nothing added
      });
    });

    it('a read inside a transaction of a table it did not write is served from the cache', async () => {
      await dataSource.getRepository(Team).find({ cache: 60_000 });
      await dataSource.transaction(async (manager) => {
        await manager.save(Audit, { note: 'x' });
        await manager.find(Team, { cache: 60_000 });
      });
      expect(log.selects('team')).toBe(1);
    });

    it('remove([id]) and clear() drop results cached under an id', async () => {
      const byId = () =>
        dataSource.getRepository(Member).find({ cache: { id: 'members', milliseconds: 60_000 } });
      await byId();
      await byId();
      expect(log.selects('member')).toBe(1);
      await dataSource.queryResultCache!.remove(['members']);
      await byId();
      expect(log.selects('member')).toBe(2);
      await cache.put('mine', 1);
      await dataSource.queryResultCache!.clear();
      await byId();
      expect(log.selects('member')).toBe(3);
      expect(await cache.get('mine')).toBe(1); // clear() drops this DataSource's results only
    });
  },
);
