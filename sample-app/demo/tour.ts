import type { CacheDiagnostics, CacheStats } from '@hydracache/nestjs';
import { send, type Reply } from './http-client.js';
import { TOUR, type TourStep } from './tour-steps.js';

/** The counters the tour reads before and after each step, over HTTP like any client. */
export interface Snapshot {
  readonly queries: number;
  readonly stats: CacheStats;
  readonly diagnostics: CacheDiagnostics;
}

/** Change of every cache counter during one step. */
export type StatsDelta = { -readonly [K in keyof CacheStats]: number };

/** What one step observed, and which of its expectations failed. */
export interface StepReport {
  readonly step: TourStep;
  readonly statuses: readonly number[];
  /** Latency of the request; for concurrent requests, the time until the last answered. */
  readonly ms: number;
  readonly queries: number;
  readonly delta: StatsDelta;
  readonly problems: readonly string[];
}

/** The whole tour: per-step reports, the final counters, and whether every check passed. */
export interface TourReport {
  readonly baseUrl: string;
  readonly steps: readonly StepReport[];
  readonly final: Snapshot;
  readonly problems: readonly string[];
  readonly ok: boolean;
}

/** Walks `steps` against the app at `baseUrl`, checking each step's expectations. */
export async function runTour(
  baseUrl: string,
  steps: readonly TourStep[] = TOUR,
): Promise<TourReport> {
  const reports: StepReport[] = [];
  let before = await snapshot(baseUrl);
  for (const step of steps) {
    // Open the sockets first, so concurrent requests reach the app together rather than
    // trickling in behind TCP handshakes.
    if ((step.times ?? 1) > 1) await openConnections(baseUrl, step.times ?? 1);
    if (step.pauseMs !== undefined) await pause(step.pauseMs);
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: step.times ?? 1 }, () =>
        send(baseUrl, step.method, step.path, step.body),
      ),
    );
    const ms = replies.length === 1 ? replies[0].ms : performance.now() - started;
    const after = await snapshot(baseUrl);
    reports.push(report(step, replies, ms, before, after));
    before = after;
  }
  const problems = finalProblems(before);
  const ok = problems.length === 0 && reports.every((r) => r.problems.length === 0);
  return { baseUrl, steps: reports, final: before, problems, ok };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function openConnections(baseUrl: string, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => send(baseUrl, 'GET', '/db/stats')));
}

async function snapshot(baseUrl: string): Promise<Snapshot> {
  const [cache, db] = await Promise.all([
    send(baseUrl, 'GET', '/cache/stats'),
    send(baseUrl, 'GET', '/db/stats'),
  ]);
  const { stats, diagnostics } = cache.body as Pick<Snapshot, 'stats' | 'diagnostics'>;
  return { queries: (db.body as { queries: number }).queries, stats, diagnostics };
}

function report(
  step: TourStep,
  replies: Reply[],
  ms: number,
  before: Snapshot,
  after: Snapshot,
): StepReport {
  const statuses = replies.map((reply) => reply.status);
  const queries = after.queries - before.queries;
  const delta = Object.fromEntries(
    Object.keys(after.stats).map((k) => [
      k,
      after.stats[k as keyof CacheStats] - before.stats[k as keyof CacheStats],
    ]),
  ) as StatsDelta;
  const { expect } = step;
  const problems: string[] = [];
  const wrongStatus = statuses.filter((status) => status !== expect.status);
  if (wrongStatus.length > 0) {
    problems.push(`expected status ${expect.status}, got ${[...new Set(wrongStatus)].join(', ')}`);
  }
  const counts: [string, number | undefined, number][] = [
    ['database queries', expect.queries, queries],
    ['cache loads', expect.loads, delta.loads],
    ['invalidated entries', expect.invalidations, delta.invalidations],
    ['cache size change', expect.sizeChange, delta.size],
    ['fail-safe activations', expect.failSafeActivations, delta.failSafeActivations],
    ['stale hits', expect.staleHits, delta.staleHits],
  ];
  for (const [what, expected, actual] of counts) {
    if (expected !== undefined && expected !== actual) {
      problems.push(`expected ${expected} ${what}, got ${actual}`);
    }
  }
  const extra = step.verify?.(replies);
  if (extra !== undefined) problems.push(extra);
  return { step, statuses, ms, queries, delta, problems };
}

function finalProblems(final: Snapshot): string[] {
  return final.diagnostics.inFlightLoads === 0
    ? []
    : [`${final.diagnostics.inFlightLoads} loads still in flight after the tour`];
}
