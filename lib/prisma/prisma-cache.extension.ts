import type { HydraCache } from '../core/hydra-cache.js';
import { ModelTables, type RuntimeDataModel } from './model-tables.js';
import { resolveReadCache } from './prisma-cache.options.js';
import { PrismaCacheErrors } from './prisma.errors.js';
import { queryKey } from './query-key.js';
import { TransactionWrites } from './transaction-writes.js';

/** The operations that may be cached with a `cache` argument. */
const READS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
]);

/** The operations that write: their tables are invalidated once they commit. */
const WRITES = new Set([
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
]);

/** What a query extension's `$allOperations` receives. */
interface OperationCall {
  model?: string;
  operation: string;
  args: Record<string, unknown> | undefined;
  query: (args: unknown) => Promise<unknown>;
  __internalParams?: { transaction?: { kind: string; id?: unknown } };
}

/** The parts of a Prisma client the extension reads (internals: see TransactionWrites). */
interface ExtensibleClient {
  $extends(extension: unknown): unknown;
  _runtimeDataModel?: RuntimeDataModel;
  _engine?: unknown;
}

/** Builds the extension for `client` (Prisma calls the function form of `$extends` with it). */
export function extendClient(
  client: ExtensibleClient,
  cache: HydraCache,
  options: { ttl?: number; prefix: string },
): unknown {
  if (client._runtimeDataModel === undefined) throw PrismaCacheErrors.unsupportedClient();
  const tables = new ModelTables(client._runtimeDataModel);
  const transactions = TransactionWrites.of(client._engine, cache, (tags) =>
    cache.invalidateTags(tags),
  );
  if (transactions === undefined) throw PrismaCacheErrors.unsupportedClient();
  const tracker = transactions;

  async function operation(call: OperationCall): Promise<unknown> {
    const { model, operation: op, query } = call;
    const { cache: cacheArg, ...args } = call.args ?? {};
    const transaction = call.__internalParams?.transaction;
    if (model === undefined) return query(call.args);
    if (WRITES.has(op)) {
      const tags = tables.tagsOf(model, args);
      // Inside an interactive transaction: invalidated when it commits.
      if (transaction?.kind === 'itx' && tracker.record(String(transaction.id), tags)) {
        return query(args);
      }
      try {
        return await query(args);
      } finally {
        // Auto-commit (or a batch, which answers after its COMMIT): committed now, or failed
        // with an unknown outcome; either way, invalidating is safe.
        await cache.invalidateTags(tags);
      }
    }
    if (cacheArg === undefined || cacheArg === false || !READS.has(op)) return query(args);
    const read = resolveReadCache(cacheArg);
    // Never from a transaction: it may see its own uncommitted writes.
    if (transaction !== undefined) return query(args);
    const tags = [...tables.tagsOf(model, args), ...(read.tags ?? [])];
    const key = read.key ?? queryKey(options.prefix, model, op, args);
    return cache.getOrLoad(key, { ttl: read.ttl ?? options.ttl, tags }, () => query(args));
  }

  return client.$extends({
    name: 'hydracache',
    query: { $allModels: { $allOperations: operation } },
  });
}
