import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Reports {
  loads = 0;
  gate: Deferred<{ rows: number[] }> = deferred();

  @Cached({ key: (year: number) => `report:${year}` })
  async build(year: number): Promise<{ year: number; rows: number[] }> {
    this.loads++;
    const { rows } = await this.gate.promise;
    return { year, rows };
  }
}

describe('@Cached single-flight', () => {
  let moduleRef: TestingModule;
  let reports: Reports;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Reports],
    });
    reports = moduleRef.get(Reports);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('runs the method once for concurrent calls with the same key', async () => {
    const calls = Array.from({ length: 5 }, () => reports.build(2024));
    expect(reports.loads).toBe(1);
    reports.gate.resolve({ rows: [1, 2, 3] });

    const results = await Promise.all(calls);
    for (const result of results) expect(result).toEqual({ year: 2024, rows: [1, 2, 3] });
    expect(reports.loads).toBe(1);
    expect(cache.stats()).toMatchObject({ loads: 1, misses: 5, singleFlightJoins: 4 });
  });

  it('gives every caller its own copy of the shared result', async () => {
    const [a, b] = [reports.build(2024), reports.build(2024)];
    reports.gate.resolve({ rows: [1] });
    const [first, second] = await Promise.all([a, b]);
    expect(first).not.toBe(second);
    first.rows.push(99);
    expect(second.rows).toEqual([1]);
    expect((await reports.build(2024)).rows).toEqual([1]);
  });

  it('runs separate loads for different keys', async () => {
    const calls = [reports.build(2023), reports.build(2024), reports.build(2023)];
    expect(reports.loads).toBe(2);
    reports.gate.resolve({ rows: [] });
    await Promise.all(calls);
  });

  it('shares a failure, unchanged, with every joined caller and caches nothing', async () => {
    const failure = new Error('database down');
    const calls = Array.from({ length: 3 }, () => reports.build(2024));
    reports.gate.reject(failure);

    for (const call of calls) await expect(call).rejects.toBe(failure);
    expect(reports.loads).toBe(1);
    expect(cache.stats().size).toBe(0);

    reports.gate = deferred();
    reports.gate.resolve({ rows: [7] });
    expect(await reports.build(2024)).toEqual({ year: 2024, rows: [7] });
    expect(reports.loads).toBe(2);
  });
});
