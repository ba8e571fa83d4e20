import { Entry, LruStore, type RemovalCause } from '../../lib/core/lru-store.js';
import { GenerationalOrder } from '../support/generational-order.js';

function store(capacity: number): { lru: LruStore; removed: [string, RemovalCause][] } {
  const removed: [string, RemovalCause][] = [];
  const lru = new LruStore(capacity, (entry, cause) => removed.push([entry.key, cause]));
  return { lru, removed };
}

const entry = (key: string, expiresAt = Infinity): Entry => new Entry(key, key, expiresAt, []);

describe('LruStore', () => {
  it("returns the entry's stored value on a hit, undefined on a miss", () => {
    const { lru } = store(3);
    const value = { id: 1 };
    lru.set(new Entry('a', value, Infinity, []));
    expect(lru.read('a', 0)).toBe(value);
    expect(lru.read('b', 0)).toBeUndefined();
    expect(lru.size).toBe(1);
  });

  it('removes an expired entry it reads, reporting "expired", in either generation', () => {
    const { lru, removed } = store(2);
    lru.set(entry('old', 10));
    lru.set(entry('recent', 10)); // reaches capacity: 'old' and 'recent' now form the old generation
    lru.set(entry('new', 10)); // evicts 'old'
    expect(lru.read('recent', 10)).toBeUndefined();
    expect(lru.read('new', 10)).toBeUndefined();
    expect(removed).toEqual([
      ['old', 'evicted'],
      ['recent', 'expired'],
      ['new', 'expired'],
    ]);
    expect(lru.size).toBe(0);
  });

  it('has() reports a live entry without promoting it and removes an expired one', () => {
    const { lru, removed } = store(2);
    lru.set(entry('a', 10));
    expect(lru.has('a', 9)).toBe(true);
    expect(lru.has('a', 10)).toBe(false);
    expect(removed).toEqual([['a', 'expired']]);
  });

  it('replacing a key reports "replaced" and keeps one entry for it', () => {
    const { lru, removed } = store(2);
    lru.set(entry('a'));
    const again = entry('a');
    lru.set(again);
    expect(removed).toEqual([['a', 'replaced']]);
    expect(lru.size).toBe(1);
    expect(lru.read('a', 0)).toBe(again.data);
  });

  it('delete() returns the entry, expired or not; remove() takes an entry; clear() reports nothing', () => {
    const { lru, removed } = store(4);
    const a = entry('a', 5);
    const b = entry('b');
    lru.set(a);
    lru.set(b);
    lru.set(entry('c'));
    expect(lru.delete('a')).toBe(a);
    expect(lru.delete('a')).toBeUndefined();
    lru.remove(b);
    expect(removed).toEqual([
      ['a', 'deleted'],
      ['b', 'deleted'],
    ]);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.read('c', 0)).toBeUndefined();
    expect(removed).toHaveLength(2);
  });

  it('remove() and expire() leave alone an entry no longer stored, and whatever took its key', () => {
    const { lru, removed } = store(4);
    const first = entry('a');
    lru.set(first);
    const second = entry('a');
    lru.set(second); // replaces `first` under the same key
    lru.remove(first);
    expect(lru.expire(first, 0)).toBe(false);
    expect(lru.read('a', 0)).toBe(second.data);
    expect(removed).toEqual([['a', 'replaced']]);
  });

  it('remove() and expire() of a removed entry leave alone the entry that reuses its slot', () => {
    const { lru, removed } = store(4);
    const gone = entry('a');
    lru.set(gone);
    lru.delete('a');
    const reuser = entry('b'); // takes the slot `gone` freed
    lru.set(reuser);
    lru.remove(gone);
    expect(lru.expire(gone, 0)).toBe(false);
    expect(lru.read('b', 0)).toBe(reuser.data);

    lru.clear();
    const fresh = entry('c'); // the first slot again, in new columns
    lru.set(fresh);
    lru.remove(reuser);
    expect(lru.expire(reuser, 0)).toBe(false);
    expect(lru.read('c', 0)).toBe(fresh.data);
    expect(removed).toEqual([['a', 'deleted']]);
  });

  it('remove() and expire() find an entry in either generation', () => {
    const { lru, removed } = store(2);
    const old = entry('old');
    lru.set(old);
    lru.set(entry('recent')); // reaches capacity: both now form the old generation
    const latest = entry('latest', 10);
    lru.set(latest); // evicts 'old'
    lru.remove(old); // already evicted: nothing happens
    expect(lru.expire(latest, 5)).toBe(true); // no grace: removed
    expect(lru.has('latest', 0)).toBe(false);
    const recent = lru.peek('recent')!;
    lru.remove(recent);
    expect(lru.size).toBe(0);
    expect(removed).toEqual([
      ['old', 'evicted'],
      ['latest', 'deleted'],
      ['recent', 'deleted'],
    ]);
  });

  // 150 is above the 64 slots the columns start with, so they grow and reuse freed slots.
  it.each([5, 150])(
    'never holds more than %i entries and evicts in the two-generation order',
    (capacity) => {
      const { lru, removed } = store(capacity);
      const model = new GenerationalOrder(capacity);
      let seed = 7;
      const next = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
      for (let step = 0; step < 5_000; step++) {
        const key = `k${next(capacity * 2 + 2)}`;
        if (next(3) === 0) {
          const hit = lru.read(key, 0);
          expect(hit !== undefined).toBe(model.has(key));
          if (hit !== undefined) expect(hit).toBe(key);
          if (hit !== undefined) model.read(key);
        } else {
          const before = removed.length;
          const evicted = model.write(key);
          lru.set(entry(key));
          const got = removed.slice(before).filter(([, cause]) => cause === 'evicted');
          expect(got.map(([k]) => k)).toEqual(evicted === undefined ? [] : [evicted]);
        }
        expect(lru.size).toBeLessThanOrEqual(capacity);
        expect(lru.size).toBe(model.keys.length);
      }
    },
  );
});
