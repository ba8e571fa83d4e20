import 'reflect-metadata';
import { createApp } from '../../sample-app/app.factory.js';
import { runDemo } from '../../sample-app/demo/run-demo.js';
import { formatReport } from '../../sample-app/demo/report.js';
import { runTour } from '../../sample-app/demo/tour.js';
import { TOUR } from '../../sample-app/demo/tour-steps.js';

describe('npm run demo', () => {
  it('walks the tour over HTTP, prints the table and passes every check', async () => {
    const printed: string[] = [];
    const report = await runDemo((text) => printed.push(text));

    expect(report.problems).toEqual([]);
    expect(report.steps.map((step) => step.problems)).toEqual(TOUR.map(() => []));
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => step.queries)).toEqual([
      1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1,
    ]);
    expect(report.final.stats).toMatchObject({
      loads: 9,
      invalidations: 2,
      size: 3,
      failSafeActivations: 1,
      staleHits: 2,
    });
    expect(report.final.diagnostics.inFlightLoads).toBe(0);

    const output = printed.join('\n');
    expect(output).toMatch(/200 concurrent, cold key +GET \/tenants\/acme\/users\/2 +200 x200/);
    expect(output).toMatch(/outage: fail-safe, stale user +GET \/tenants\/acme\/users\/1 +200 /);
    // The write from outside the app (the change feed's part) and the read that shows it.
    expect(output).toMatch(/psql UPDATE, outside the app +SQL UPDATE users SET name = 'Ada Byron'/);
    expect(output).toMatch(/next read: the psql write +GET \/tenants\/acme\/users\/1 +200 /);
    expect(output).toContain('All checks passed');
    expect(output).toMatch(
      /Hit ratio from GET \/metrics \(hydracache_cache_gets_total\): \d+\.\d%/,
    );
  });

  it('fails the run when a step does not behave as expected', async () => {
    const app = await createApp(false);
    await app.listen(0, '127.0.0.1');
    try {
      const { port } = app.getHttpServer().address() as { port: number };
      const report = await runTour(`http://127.0.0.1:${port}`, [
        {
          name: 'expects a hit on a cold key',
          method: 'GET',
          path: '/tenants/acme/users/3',
          expect: { status: 200, queries: 0, loads: 0 },
        },
      ]);

      expect(report.ok).toBe(false);
      expect(report.steps[0].problems).toEqual([
        'expected 0 database queries, got 1',
        'expected 0 cache loads, got 1',
      ]);
      expect(formatReport(report, 40)).toContain(
        'Checks FAILED:\n  step 1 (expects a hit on a cold key): expected 0 database queries, got 1',
      );
    } finally {
      await app.close();
    }
  });
});
