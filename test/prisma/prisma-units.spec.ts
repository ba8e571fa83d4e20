import { describe, expect, it } from '@jest/globals';
import { ModelTables } from '../../lib/prisma/model-tables.js';
import { queryKey } from '../../lib/prisma/query-key.js';
import { MAX_OPEN_TRANSACTIONS, TransactionWrites } from '../../lib/prisma/transaction-writes.js';

const dataModel = {
  models: {
    User: {
      dbName: 'users',
      schema: null,
      fields: [
        { name: 'id', kind: 'scalar', type: 'Int' },
        { name: 'posts', kind: 'object', type: 'Post' },
      ],
    },
    Post: {
      dbName: null,
      schema: 'blog',
      fields: [{ name: 'author', kind: 'object', type: 'User' }],
    },
  },
};

describe('ModelTables', () => {
  it('maps models to their @@map / @@schema tables and follows relations anywhere in the arguments', () => {
    const tables = new ModelTables(dataModel);
    expect(tables.tagsOf('User', { where: { id: 1 } })).toEqual(['table:users']);
    expect(tables.tagsOf('User', { where: { AND: [{ posts: { some: {} } }] } })).toEqual([
      'table:users',
      'table:blog.Post',
    ]);
  });
});

describe('queryKey', () => {
  it('is the same for equal arguments whatever their key order, and spells out dates and bigints', () => {
    const a = queryKey('p:', 'User', 'findMany', { where: { id: 1n, at: new Date(0) }, take: 1 });
    const b = queryKey('p:', 'User', 'findMany', { take: 1, where: { at: new Date(0), id: 1n } });
    expect(a).toBe(b);
    expect(a).toContain('1970-01-01T00:00:00.000Z');
    expect(queryKey('p:', 'User', 'findMany', { where: { id: '1' } })).not.toBe(
      queryKey('p:', 'User', 'findMany', { where: { id: 1 } }),
    );
  });
});

/** A stand-in for the client engine's transaction control: ids from a counter, COMMIT fails on demand. */
function engine() {
  let next = 0;
  const e = {
    failCommit: false,
    async transaction(action: string, _headers: unknown, info: { id?: string; newTxId?: string }) {
      if (action === 'start') return { id: info?.newTxId ?? `tx${++next}` };
      if (action === 'commit' && e.failCommit) throw new Error('commit failed');
      return undefined;
    },
  };
  return e;
}

describe('TransactionWrites', () => {
  it('invalidates once the outermost transaction commits, never on rollback', async () => {
    const invalidated: string[][] = [];
    const e = engine();
    const writes = TransactionWrites.of(e, {}, async (tags) => invalidated.push(tags))!;
    const { id } = (await e.transaction('start', {}, {})) as { id: string };
    await e.transaction('start', {}, { newTxId: id }); // nested: same id
    expect(writes.record(id, ['table:users'])).toBe(true);
    await e.transaction('commit', {}, { id });
    expect(invalidated).toEqual([]);
    await e.transaction('commit', {}, { id });
    expect(invalidated).toEqual([['table:users']]);
    expect(writes.record(id, ['table:users'])).toBe(false);

    const second = (await e.transaction('start', {}, {})) as { id: string };
    writes.record(second.id, ['table:posts']);
    await e.transaction('rollback', {}, second);
    expect(invalidated).toHaveLength(1);
    expect(writes.size).toBe(0);
  });

  it('one tracker per engine and cache, however often the client is extended', () => {
    const e = engine();
    const cache = {};
    const noop = async () => undefined;
    expect(TransactionWrites.of(e, cache, noop)).toBe(TransactionWrites.of(e, cache, noop));
    expect(TransactionWrites.of({}, cache, noop)).toBeUndefined();
  });

  it('stays bounded: past the cap the oldest transaction is invalidated at once', async () => {
    const invalidated: string[][] = [];
    const e = engine();
    const writes = TransactionWrites.of(e, {}, async (tags) => invalidated.push(tags))!;
    writes.record('tx1', []);
    for (let i = 0; i <= MAX_OPEN_TRANSACTIONS; i++) {
      const { id } = (await e.transaction('start', {}, {})) as { id: string };
      if (i === 0) writes.record(id, ['table:users']);
    }
    expect(writes.size).toBe(MAX_OPEN_TRANSACTIONS);
    expect(invalidated).toEqual([['table:users']]);
  });
});
