import { EventSubscriber, type DataSource, type QueryRunner } from 'typeorm';

/** What every TypeORM event carries: its DataSource (named `connection` in 0.3, both in 1.x). */
export interface DataSourceEvent {
  readonly dataSource?: DataSource;
  readonly connection?: DataSource;
  readonly queryRunner: QueryRunner;
}

/** The parts of TypeORM's AfterQueryEvent the adapter reads (the same in 0.3 and 1.x). */
export interface QueryOutcome extends DataSourceEvent {
  readonly queryRunner: QueryRunner;
  readonly query: string;
  readonly success: boolean;
  readonly error?: unknown;
}

/** What the subscriber forwards TypeORM's events to: the query cache of that DataSource. */
export interface WriteListener {
  afterQuery(event: QueryOutcome): Promise<void> | undefined;
  committed(runner: QueryRunner): Promise<void> | undefined;
  rolledBack(runner: QueryRunner): void;
}

const listeners = new WeakMap<DataSource, WriteListener>();

function listenerOf(event: DataSourceEvent): WriteListener | undefined {
  const dataSource = event.dataSource ?? event.connection;
  return dataSource === undefined ? undefined : listeners.get(dataSource);
}

/** Routes `dataSource`'s query and transaction events to `listener`. */
export function listenToWrites(dataSource: DataSource, listener: WriteListener): void {
  listeners.set(dataSource, listener);
  // TypeORM instantiates subscribers itself (no arguments) from the `subscribers` option when the
  // DataSource initializes; this provider runs in its constructor, before that.
  const options = dataSource.options as { subscribers?: unknown };
  const given = options.subscribers;
  const list: unknown[] = Array.isArray(given)
    ? [...(given as unknown[])]
    : given && typeof given === 'object'
      ? Object.values(given)
      : [];
  if (!list.includes(HydraCacheWriteSubscriber)) list.push(HydraCacheWriteSubscriber);
  // A copy: the caller's options object (perhaps shared by several DataSources) stays as it was.
  (dataSource as { options: object }).options = { ...dataSource.options, subscribers: list };
}

/**
 * A stateless TypeORM subscriber: hands every query's outcome and every transaction's end to the
 * query cache of the DataSource it ran on. Query events cover every write (repository saves,
 * QueryBuilder insert/update/delete, cascades, junction tables, raw `query()`), with its SQL.
 */
@EventSubscriber()
export class HydraCacheWriteSubscriber {
  /** Every statement that ran, with its SQL and whether it succeeded. */
  afterQuery(event: QueryOutcome): Promise<void> | undefined {
    return listenerOf(event)?.afterQuery(event);
  }

  /** Awaited by TypeORM's commitTransaction: invalidation is done when the commit returns. */
  afterTransactionCommit(event: DataSourceEvent): Promise<void> | undefined {
    return listenerOf(event)?.committed(event.queryRunner);
  }

  /** Forgets what the rolled-back transaction wrote. */
  afterTransactionRollback(event: DataSourceEvent): void {
    listenerOf(event)?.rolledBack(event.queryRunner);
  }
}
