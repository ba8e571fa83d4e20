import { table } from './text-table.js';
import type { StatsDelta, TourReport } from './tour.js';

/** Renders the tour as a readable report: the step table, the final counters, the verdict. */
export function formatReport(report: TourReport, dbLatencyMs: number): string {
  const { stats, diagnostics, queries } = report.final;
  const requests = report.steps.reduce((n, s) => n + s.statuses.length, 0);
  const failures = [
    ...report.steps.flatMap((s, i) =>
      s.problems.map((p) => `  step ${i + 1} (${s.step.name}): ${p}`),
    ),
    ...report.problems.map((p) => `  ${p}`),
  ];
  return [
    `HydraCache demo: sample app on ${report.baseUrl}, database round trip ${dbLatencyMs} ms`,
    '',
    table(
      ['#', 'step', 'request', 'status', 'time', 'db queries', 'cache', 'check'],
      report.steps.map((s, i) => [
        String(i + 1),
        s.step.name,
        `${s.step.method} ${s.step.path}`,
        statusText(s.statuses),
        `${s.ms.toFixed(1)} ms`,
        String(s.queries),
        cacheText(s.delta),
        s.problems.length === 0 ? 'ok' : 'FAILED',
      ]),
      new Set([0, 4, 5]),
    ),
    '',
    `${requests} requests, ${queries} database queries.`,
    `cache.stats():       ${pairs(stats)}`,
    `cache.diagnostics(): ${pairs(diagnostics)}`,
    '',
    failures.length === 0
      ? 'All checks passed: single-flight, tag invalidation, uncached 404s, fail-safe and the change feed behave.'
      : ['Checks FAILED:', ...failures].join('\n'),
  ].join('\n');
}

function statusText(statuses: readonly number[]): string {
  const distinct = [...new Set(statuses)];
  return statuses.length === 1 ? String(statuses[0]) : `${distinct.join('/')} x${statuses.length}`;
}

/** The step's cache activity in words: "1 miss, 1 load", "200 misses, 1 load, 199 joined"... */
function cacheText(delta: StatsDelta): string {
  const parts: [number, string, string][] = [
    [delta.hits, 'hit', 'hits'],
    [delta.misses, 'miss', 'misses'],
    [delta.loads, 'load', 'loads'],
    [delta.singleFlightJoins, 'joined', 'joined'],
    [delta.invalidations, 'invalidated', 'invalidated'],
    [delta.staleLoadDiscards, 'stale discard', 'stale discards'],
    [delta.staleHits, 'stale', 'stale'],
    [delta.failSafeActivations, 'fail-safe', 'fail-safe'],
    [delta.evictions, 'eviction', 'evictions'],
  ];
  const text = parts
    .filter(([n]) => n !== 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
  return text === '' ? '-' : text;
}

function pairs(record: object): string {
  return Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
