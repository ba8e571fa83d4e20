import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { HydraCache } from '../../lib/index.js';
import { Member } from './support/entities.js';
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

describe.each(DRIVERS)(
  'TypeORM queries marked cache are served from HydraCache (%s)',
  (driver: Driver) => {
    const name = databaseName('hits', driver);
    let cache: HydraCache;
    let log: QueryLog;
    let dataSource: DataSource;

    beforeAll(() => createDatabase(driver, name));
    afterAll(() => dropDatabase(driver, name));

    beforeEach(async () => {
      cache = new HydraCache();
      log = new QueryLog();
      dataSource = await cachedDataSource(driver, name, cache, log);
      await seedTeam(dataSource, log);
    });

    afterEach(async () => {
      await dataSource.destroy();
      await cache.close();
    });

    it('serves the second find from the cache without a query', async () => {
      const members = dataSource.getRepository(Member);
      const first = await members.find({ order: { id: 'ASC' }, cache: 60_000 });
      const second = await members.find({ order: { id: 'ASC' }, cache: 60_000 });
      expect(second).toEqual(first);
      expect(second.map((m) => m.name)).toEqual(['ada', 'bob']);
      expect(second[0]).toBeInstanceOf(Member);
      expect(log.selects()).toBe(1);
      expect(cache.stats().hits).toBe(1);
    });

    it('serves a QueryBuilder query with a join from the cache', async () => {
      const query = () =>
        dataSource
          .getRepository(Member)
          .createQueryBuilder('member')
          .leftJoinAndSelect('member.team', 'team')
          .where('team.name = :name', { name: 'core' })
          .orderBy('member.id')
          .cache(60_000)
          .getMany();
      const first = await query();
      expect(await query()).toEqual(first);
      expect(first[0]!.team!.name).toBe('core');
      expect(log.selects()).toBe(1);
    });

    it('keys by parameters: other parameters are another entry', async () => {
      const members = dataSource.getRepository(Member);
      const ada = await members.find({ where: { name: 'ada' }, cache: 60_000 });
      const bob = await members.find({ where: { name: 'bob' }, cache: 60_000 });
      expect(ada.map((m) => m.name)).toEqual(['ada']);
      expect(bob.map((m) => m.name)).toEqual(['bob']);
      expect(log.selects()).toBe(2);
    });

    it('leaves queries not marked cache alone', async () => {
      const members = dataSource.getRepository(Member);
      await members.find();
      await members.find();
      expect(log.selects()).toBe(2);
      expect(cache.diagnostics().entries).toBe(0);
    });

    it('runs one query for concurrent misses of the same query', async () => {
      const members = dataSource.getRepository(Member);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => members.find({ order: { id: 'ASC' }, cache: 60_000 })),
      );
      for (const result of results) expect(result).toEqual(results[0]);
      expect(log.selects()).toBe(1);
      expect(cache.stats().singleFlightJoins).toBe(4);
    });

    it('expires a result after its duration', async () => {
      // A duration of 1 ms: the next read, after the entry's TTL, goes to the database again.
      const members = dataSource.getRepository(Member);
      await members.find({ cache: 1 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await members.find({ cache: 1 });
      expect(log.selects()).toBe(2);
    });
  },
);
