import { describe, expect, it } from '@jest/globals';
import { TableWrites } from '../../lib/drizzle/table-writes.js';

describe('TableWrites', () => {
  it('holds a table while a write to it runs, counting overlapping writes', () => {
    const writes = new TableWrites();
    expect(writes.holdsAny(['table:users'])).toBe(false);
    writes.hold('table:users');
    writes.hold('table:users');
    expect(writes.holdsAny(['table:posts', 'table:users'])).toBe(true);
    expect(writes.holdsAny(['table:posts'])).toBe(false);
    writes.release(['table:users']);
    expect(writes.holdsAny(['table:users'])).toBe(true);
    writes.release(['table:users']);
    expect(writes.holdsAny(['table:users'])).toBe(false);
    expect(writes.held).toBe(0);
  });
});
