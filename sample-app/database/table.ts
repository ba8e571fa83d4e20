/** One table of the fake database: rows by id. Every call is one (simulated) query's work. */
export interface Table<T> {
  get(id: string): Promise<T | undefined>;
  /** Every row, in no particular order. */
  values(): Promise<T[]>;
  set(id: string, row: T): Promise<void>;
}

/** What a table is opened with: its name, first rows, and how to tell a row's id. */
export interface TableSpec<T> {
  /** Distinguishes the table's Redis key, e.g. `users`. */
  readonly name: string;
  readonly seed: () => T[];
  readonly idOf: (row: T) => string;
  /** Turns a row read back from JSON into a `T` (Dates are strings in JSON). Default: as is. */
  readonly revive?: (row: T) => T;
}

/** A table held in this process's memory: what one instance alone uses (no `REDIS_URL`). */
export class MemoryTable<T> implements Table<T> {
  readonly #rows: Map<string, T>;

  constructor(spec: TableSpec<T>) {
    this.#rows = new Map(spec.seed().map((row) => [spec.idOf(row), row]));
  }

  async get(id: string): Promise<T | undefined> {
    return this.#rows.get(id);
  }

  async values(): Promise<T[]> {
    return [...this.#rows.values()];
  }

  async set(id: string, row: T): Promise<void> {
    this.#rows.set(id, row);
  }
}
