/**
 * The hit ratio in a Prometheus scrape of `/metrics`: hits over all reads of
 * `hydracache_cache_gets_total`, over every cache and namespace; undefined before any read.
 * The demo prints it; Grafana computes the same from rates (docs/monitoring.md).
 */
export function hitRatioFromScrape(scrape: string): number | undefined {
  let hits = 0;
  let all = 0;
  for (const line of scrape.split('\n')) {
    if (!line.startsWith('hydracache_cache_gets_total{')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    all += value;
    if (line.includes('cache_result="hit"')) hits += value;
  }
  return all === 0 ? undefined : hits / all;
}
