import pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { DatabaseConnection } from '../database/database-connection.js';
import { createApp } from '../app.factory.js';
import { hitRatioFromScrape } from '../monitoring/hit-ratio.js';
import { formatReport } from './report.js';
import { runTour, type TourReport } from './tour.js';

/**
 * Boots the sample app in-process on a free port, walks the tour over real HTTP, closes the app
 * and prints the report through `log`. Resolves with the report; `report.ok` is the verdict.
 */
export async function runDemo(log: (text: string) => void = console.log): Promise<TourReport> {
  const app = await createApp(['warn', 'error']);
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    // psql's part in the tour: a client of the database that is not the app.
    const db = app.get(DatabaseConnection);
    const psql = new pg.Client({
      connectionString: db.url,
      ...(db.schema === 'public' ? {} : { options: `-c search_path=${db.schema}` }),
    });
    await psql.connect();
    const report = await runTour(base, undefined, async (statement) => {
      return (await psql.query(statement)).rowCount ?? 0;
    }).finally(() => psql.end());
    log(formatReport(report, app.get(AppConfig).dbLatencyMs));
    // What an operator's dashboard would show: the same tour, read back from the metrics endpoint.
    const ratio = hitRatioFromScrape(await (await fetch(`${base}/metrics`)).text());
    log(
      `Hit ratio from GET /metrics (hydracache_cache_gets_total): ${ratio === undefined ? 'no reads' : `${(ratio * 100).toFixed(1)}%`}`,
    );
    return report;
  } finally {
    await app.close();
  }
}
