import type { Redis } from 'ioredis';
import type { Table, TableSpec } from './table.js';

/**
 * A table kept in one Redis hash (`<namespace>:<name>`, a field per row, JSON values), so that
 * every instance of the sample app reads the same rows: a demo stand-in for a shared database,
 * not a storage design (an update is a read then a write, without a transaction).
 */
export class RedisTable<T> implements Table<T> {
  readonly #key: string;
  #seeded: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    namespace: string,
    private readonly spec: TableSpec<T>,
  ) {
    this.#key = `${namespace}:${spec.name}`;
  }

  async get(id: string): Promise<T | undefined> {
    await this.#seed();
    const text = await this.redis.hget(this.#key, id);
    return text === null ? undefined : this.#parse(text);
  }

  async values(): Promise<T[]> {
    await this.#seed();
    return (await this.redis.hvals(this.#key)).map((text) => this.#parse(text));
  }

  async set(id: string, row: T): Promise<void> {
    await this.#seed();
    await this.redis.hset(this.#key, id, JSON.stringify(row));
  }

  /** Writes the seed rows that are not there yet (HSETNX): idempotent, and safe to race. */
  #seed(): Promise<void> {
    this.#seeded ??= (async () => {
      const batch = this.redis.pipeline();
      for (const row of this.spec.seed()) {
        batch.hsetnx(this.#key, this.spec.idOf(row), JSON.stringify(row));
      }
      const results = (await batch.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed) throw failed[0];
    })().catch((error: unknown) => {
      this.#seeded = undefined; // Try again on the next query.
      throw error;
    });
    return this.#seeded;
  }

  #parse(text: string): T {
    const row = JSON.parse(text) as T;
    return this.spec.revive ? this.spec.revive(row) : row;
  }
}
