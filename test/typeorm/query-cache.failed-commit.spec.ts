import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { HydraCache } from '../../lib/index.js';
import { Member } from './support/entities.js';
import {
  cachedDataSource,
  createDatabase,
  databaseName,
  dropDatabase,
  QueryLog,
} from './support/data-sources.js';

describe('a COMMIT that fails counts its writes (postgres)', () => {
  const name = databaseName('failed_commit', 'postgres');
  let cache: HydraCache;
  let dataSource: DataSource;

  beforeAll(() => createDatabase('postgres', name));
  afterAll(() => dropDatabase('postgres', name));

  beforeEach(async () => {
    cache = new HydraCache();
    dataSource = await cachedDataSource('postgres', name, cache, new QueryLog());
    // Checked only at COMMIT: the statement succeeds, the commit fails.
    await dataSource.query(
      `ALTER TABLE member ADD CONSTRAINT one_name UNIQUE (name) DEFERRABLE INITIALLY DEFERRED`,
    );
    await dataSource.getRepository(Member).save({ name: 'ada' });
  });

  afterEach(async () => {
    await dataSource.destroy();
    await cache.close();
  });

  it('invalidates what the transaction wrote when its COMMIT fails (the outcome is unknown)', async () => {
    await dataSource.getRepository(Member).find({ cache: 60_000 });
    expect(cache.diagnostics().entries).toBe(1);
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.save(Member, { name: 'ada' });
        expect(cache.diagnostics().entries).toBe(1);
      }),
    ).rejects.toThrow();
    expect(cache.diagnostics().entries).toBe(0);
  });
});
