import {
  Injectable,
  ServiceUnavailableException,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { DbFault } from './db-fault.js';

/** Queries a stall may hold at once; past it, more queries fail instead of piling up. */
const MAX_STALLED_QUERIES = 10_000;

/**
 * Every query the app sends to Postgres passes through here: it is counted, so the demo and the
 * tests can see exactly what the cache saved, and delayed by `DB_LATENCY_MS` (the round trip to a
 * database in another data centre; the embedded one answers in microseconds).
 *
 * It can be told to misbehave (`DB_FAULT` at start, `PUT /admin/database` at run time): `fail`
 * rejects every query with a 503, `stall` holds every query until the fault is switched off (then
 * they run, late). Every attempted query is counted, failed or stalled.
 */
@Injectable()
export class QueryGate implements OnApplicationShutdown {
  #queries = 0;
  #fault: DbFault;
  /** Resumes of the queries a stall is holding. */
  readonly #stalled = new Set<() => void>();

  constructor(private readonly config: AppConfig) {
    this.#fault = config.dbFault;
  }

  /** Queries run so far (reads and writes). */
  get queries(): number {
    return this.#queries;
  }

  /** The fault currently simulated. */
  get fault(): DbFault {
    return this.#fault;
  }

  /** Queries a stall is holding right now. */
  get stalledQueries(): number {
    return this.#stalled.size;
  }

  /** Switches the simulated fault; leaving `stall` lets the held queries run. */
  setFault(fault: DbFault): void {
    this.#fault = fault;
    if (fault !== 'stall') this.#resumeStalled();
  }

  /** Runs `work` (one query, or a few in one transaction) after the simulated round trip. */
  async query<T>(work: () => Promise<T>): Promise<T> {
    this.#queries++;
    if (this.#fault === 'fail') throw unavailable('the database is down (fault "fail")');
    if (this.#fault === 'stall') await this.#stall();
    await roundTrip(this.config.dbLatencyMs);
    return work();
  }

  /** A stalled query must not hold the shutdown forever: let it finish. */
  onApplicationShutdown(): void {
    this.#resumeStalled();
  }

  #stall(): Promise<void> {
    if (this.#stalled.size >= MAX_STALLED_QUERIES) {
      return Promise.reject(unavailable('the database is stalled and its queue is full'));
    }
    // No timer: a stalled query holds nothing that keeps the process alive.
    return new Promise((resolve) => this.#stalled.add(resolve));
  }

  #resumeStalled(): void {
    for (const resume of this.#stalled) resume();
    this.#stalled.clear();
  }
}

function unavailable(message: string): ServiceUnavailableException {
  return new ServiceUnavailableException(message);
}

function roundTrip(ms: number): Promise<void> {
  // Not unref'd: a query in flight must keep the process alive until it answers.
  return new Promise((resolve) => setTimeout(resolve, ms));
}
