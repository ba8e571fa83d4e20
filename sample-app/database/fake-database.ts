import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/**
 * Stands in for a real database: every query waits `DB_LATENCY_MS` (a network round trip) and
 * is counted, so the demo and the tests can see exactly what the cache saved. The rows live in
 * {@link Tables} (this process's memory, or Redis when instances share them).
 */
@Injectable()
export class FakeDatabase {
  #queries = 0;

  constructor(private readonly config: AppConfig) {}

  /** Queries run so far (reads and writes). */
  get queries(): number {
    return this.#queries;
  }

  /** Runs `work` after one simulated round trip and returns a copy of its result. */
  async query<T>(work: () => T | Promise<T>): Promise<T> {
    this.#queries++;
    await roundTrip(this.config.dbLatencyMs);
    return structuredClone(await work());
  }
}

function roundTrip(ms: number): Promise<void> {
  // Not unref'd: a query in flight must keep the process alive until it answers.
  return new Promise((resolve) => setTimeout(resolve, ms));
}
