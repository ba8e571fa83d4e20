import type { CacheDiagnostics, CacheStats } from '@hydracache/nestjs';
import { send, type Reply } from './http-client.js';
import { TOUR, type TourStep } from './tour-steps.js';

/** The counters the tour reads before and after each step, over HTTP like any client. */
export interface Snapshot {
  readonly queries: number;
  /** Invalidations applied from the change feed or the bus (`remoteChanges`). */
  readonly remoteChanges: number;
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

/** Runs one SQL statement on the app's database (not through the app); resolves with the rows it changed. */
export type SqlRunner = (statement: string) => Promise<number>;

/** How long a step waits for the change feed to apply a commit, in ms. */
const CHANGES_DEADLINE_MS = 5_000;

/**
 * Walks `steps` against the app at `baseUrl`, checking each step's expectations. `SQL` steps run
 * through `sql`; a tour with one and no `sql` fails that step.
 */
export async function runTour(
  baseUrl: string,
  steps: readonly TourStep[] = TOUR,
  sql?: SqlRunner,
): Promise<TourReport> {
  const reports: StepReport[] = [];
  let before = await snapshot(baseUrl);
  for (const step of steps) {
    // Open the sockets first, so concurrent requests reach the app together rather than
    // trickling in behind TCP handshakes.
    if ((step.times ?? 1) > 1) await openConnections(baseUrl, step.times ?? 1);
    if (step.pauseMs !== undefined) await pause(step.pauseMs);
    const started = performance.now();
    const replies =
      step.method === 'SQL'
        ? [await runSql(sql, step.path)]
        : await Promise.all(
            Array.from({ length: step.times ?? 1 }, () =>
              send(baseUrl, step.method, step.path, step.body),
            ),
          );
    const ms = replies.length === 1 ? replies[0].ms : performance.now() - started;
    const after = await snapshot(baseUrl, before.remoteChanges + (step.awaitChanges ?? 0));
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

/** A statement's reply: its row count as the status (-1 when it failed or there is no runner). */
async function runSql(sql: SqlRunner | undefined, statement: string): Promise<Reply> {
  const started = performance.now();
  try {
    if (sql === undefined) throw new Error('this tour was given no SQL runner');
    const rows = await sql(statement);
    return { status: rows, body: undefined, ms: performance.now() - started };
  } catch (error) {
    return { status: -1, body: String(error), ms: performance.now() - started };
  }
}

/** The counters, once at least `remoteChanges` remote invalidations were applied (or the deadline passed). */
async function snapshot(baseUrl: string, remoteChanges = 0): Promise<Snapshot> {
  const deadline = performance.now() + CHANGES_DEADLINE_MS;
  for (;;) {
    const [cache, db] = await Promise.all([
      send(baseUrl, 'GET', '/cache/stats'),
      send(baseUrl, 'GET', '/db/stats'),
    ]);
    const body = cache.body as Pick<Snapshot, 'stats' | 'diagnostics' | 'remoteChanges'>;
    if (body.remoteChanges >= remoteChanges || performance.now() > deadline) {
      const queries = (db.body as { queries: number }).queries;
      return { queries, ...body };
    }
    await pause(10);
  }
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
  const applied = after.remoteChanges - before.remoteChanges;
  if (step.awaitChanges !== undefined && applied < step.awaitChanges) {
    problems.push(`the change feed applied ${applied} of ${step.awaitChanges} changes within 5 s`);
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
