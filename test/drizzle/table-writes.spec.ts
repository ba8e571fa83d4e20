import { describe, expect, it } from '@jest/globals';
import { MAX_PENDING_READS, PendingReads } from '../../lib/drizzle/pending-reads.js';
import { MAX_STAMPED_TABLES, TableWrites } from '../../lib/drizzle/table-writes.js';

describe('TableWrites', () => {
  it('refuses a read overtaken by an invalidation of one of its tables, or while a write holds one', () => {
    const writes = new TableWrites();
    const tick = writes.started();
    expect(writes.mayStore(['table:users'], tick)).toBe(true);
    writes.hold('table:users');
    expect(writes.mayStore(['table:users'], tick)).toBe(false);
    expect(writes.mayStore(['table:posts'], tick)).toBe(true);
    writes.release(['table:users'], true);
    expect(writes.mayStore(['table:users'], tick)).toBe(false);
    expect(writes.mayStore(['table:users'], writes.started())).toBe(true);
    expect(writes.held).toBe(0);
  });

  it('stays bounded: past the cap it forgets every stamp and refuses the reads already running', () => {
    const writes = new TableWrites();
    const tick = writes.started();
    for (let i = 0; i <= MAX_STAMPED_TABLES; i++) writes.invalidated([`table:t${i}`]);
    expect(writes.stamped).toBe(0);
    expect(writes.mayStore(['table:other'], tick)).toBe(false);
    expect(writes.mayStore(['table:other'], writes.started())).toBe(true);
  });
});

describe('PendingReads', () => {
  it('judges concurrent reads of one key by the older start', () => {
    const reads = new PendingReads();
    reads.started('k', 1);
    reads.started('k', 5);
    expect(reads.finished('k')).toBe(1);
    expect(reads.finished('k')).toBe(1);
    expect(reads.finished('k')).toBeUndefined();
    expect(reads.size).toBe(0);
  });

  it('stays bounded when reads never come back (their query failed)', () => {
    const reads = new PendingReads();
    for (let i = 0; i <= MAX_PENDING_READS; i++) reads.started(`k${i}`, 0);
    expect(reads.size).toBe(MAX_PENDING_READS);
    expect(reads.finished('k0')).toBeUndefined();
  });
});
