import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { EventSubscriber, QueryFailedError, type DataSource } from 'typeorm';
import { HydraCache } from '../../lib/index.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { Member } from './support/entities.js';
import {
  cachedDataSource,
  createDatabase,
  databaseName,
  dropDatabase,
  DRIVERS,
  QueryLog,
  type Driver,
} from './support/data-sources.js';

/** Holds the next SELECT of the member table after it ran, before TypeORM sees its rows. */
@EventSubscriber()
class HoldMemberSelect {
  static gate: Deferred<void> | undefined;
  static reached = deferred<void>();

  afterQuery(event: { query: string }): Promise<void> | undefined {
    const gate = HoldMemberSelect.gate;
    if (
      gate === undefined ||
      !event.query.startsWith('SELECT') ||
      !event.query.includes('member')
    ) {
      return undefined;
    }
    HoldMemberSelect.gate = undefined;
    HoldMemberSelect.reached.resolve();
    return gate.promise;
  }
}

describe.each(DRIVERS)(
  'a query overtaken by a committed write stores nothing (%s)',
  (driver: Driver) => {
    const name = databaseName('stale', driver);
    let cache: HydraCache;
    let log: QueryLog;
    let dataSource: DataSource;
    const findMembers = () =>
      dataSource.getRepository(Member).find({ order: { id: 'ASC' }, cache: 60_000 });

    beforeAll(() => createDatabase(driver, name));
    afterAll(() => dropDatabase(driver, name));

    beforeEach(async () => {
      cache = new HydraCache();
      log = new QueryLog();
      dataSource = await cachedDataSource(
        driver,
        name,
        cache,
        log,
        {},
        { subscribers: [HoldMemberSelect] },
      );
      await dataSource.getRepository(Member).save([{ name: 'ada' }, { name: 'bob' }]);
      log.queries.length = 0;
    });

    afterEach(async () => {
      await dataSource.destroy();
      await cache.close();
    });

    it('drops the result of a read that ran before a write committed and finished after', async () => {
      const gate = deferred<void>();
      HoldMemberSelect.gate = gate;
      HoldMemberSelect.reached = deferred<void>();
      const slow = findMembers();
      await HoldMemberSelect.reached.promise; // it read ada and bob; its rows are on their way

      await dataSource.getRepository(Member).save({ name: 'cyd' }); // commits and invalidates

      gate.resolve();
      expect((await slow).map((m) => m.name)).toEqual(['ada', 'bob']); // what it read, not cached
      expect(cache.stats().staleLoadDiscards).toBe(1);
      expect((await findMembers()).map((m) => m.name)).toEqual(['ada', 'bob', 'cyd']);
      expect(log.selects('member')).toBe(2);
    });

    it('callers joining a query that fails run their own instead of waiting', async () => {
      const broken = () =>
        dataSource
          .getRepository(Member)
          .createQueryBuilder('member')
          .where('member.missing = 1')
          .cache(60_000)
          .getMany();
      const results = await Promise.allSettled([broken(), broken(), broken()]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(QueryFailedError);
      }
      expect(cache.diagnostics()).toMatchObject({ entries: 0, inFlightLoads: 0 });
      // The key is free again: a working query of the same shape caches normally.
      await findMembers();
      await findMembers();
      expect(log.selects('member') - 3).toBe(1);
    });
  },
);
