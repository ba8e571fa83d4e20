import { describe, expect, it, jest } from '@jest/globals';
import { CacheError, HydraCache, rowTag, tableTag } from '../../../lib/index.js';
import { ManualSource } from '../../support/manual-source.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('sources of changes', () => {
  it('applies what a source delivers, and close() closes the source', async () => {
    const source = new ManualSource();
    const cache = HydraCache.local().name('users').changes(source).build();
    expect(source.sink.cacheName).toBe('users');
    await cache.put('user:1', { id: 1 }, { tags: [rowTag('users', 1)] });
    await cache.put('users:list', [1], { tags: [tableTag('users')] });
    expect(source.sink.apply({ type: 'tags', tags: [rowTag('users', '1')] })).toBe(1);
    expect(await cache.get('user:1')).toBeUndefined();
    expect(await cache.get('users:list')).toEqual([1]);
    await cache.close();
    expect(source.closed).toBe(1);
  });

  it('a load that read before a change the source delivers stores nothing', async () => {
    const source = new ManualSource();
    const cache = new HydraCache({ changes: source });
    const gate = deferred<string>();
    const first = cache.getOrLoad('user:1', { tags: [rowTag('users', 1)] }, () => gate.promise);
    source.sink.apply({ type: 'tags', tags: [rowTag('users', 1)] });
    gate.resolve('before the write');
    await expect(first).resolves.toBe('before the write');
    expect(await cache.get('user:1')).toBeUndefined();
    await cache.close();
  });

  it('rejects something that is not a source, naming the setting', () => {
    expect(() => new HydraCache({ changes: [{}] as never })).toThrow(CacheError);
    expect(() => new HydraCache({ changes: [{}] as never })).toThrow(/changes/);
  });
});

describe('tableTag and rowTag', () => {
  it('one tag for a table whether or not its public schema is named', () => {
    expect(tableTag('public.users')).toBe(tableTag('users'));
    expect(tableTag('audit.users')).not.toBe(tableTag('users'));
  });

  it('compares key values as text, and composite keys by position', () => {
    expect(rowTag('users', 42)).toBe(rowTag('users', '42'));
    expect(rowTag('users', ['acme', 42])).toBe(rowTag('users', ['acme', '42']));
    expect(rowTag('users', ['a:b', 1])).not.toBe(rowTag('users', ['a', 'b:1']));
    expect(rowTag('users', 1)).not.toBe(rowTag('orders', 1));
  });

  it('rejects an empty key or table with E_INVALID_OPTION', () => {
    expect(() => rowTag('users', [])).toThrow(CacheError);
    expect(() => tableTag('')).toThrow(CacheError);
  });
});

describe('cache.ready()', () => {
  class SlowSource extends ManualSource {
    readonly connected = deferred<void>();
    ready(): Promise<void> {
      return this.connected.promise;
    }
  }

  it('resolves true at once without sources that report readiness', async () => {
    await expect(new HydraCache({ changes: new ManualSource() }).ready()).resolves.toBe(true);
  });

  it('waits for every source to be ready', async () => {
    const source = new SlowSource();
    const cache = new HydraCache({ changes: [source, new ManualSource()] });
    let settled: boolean | undefined;
    const ready = cache.ready().then((value) => (settled = value));
    await Promise.resolve();
    expect(settled).toBeUndefined();
    source.connected.resolve();
    await ready;
    expect(settled).toBe(true);
    await cache.close();
  });

  it('resolves false after its timeout, leaving no timer behind', async () => {
    jest.useFakeTimers();
    try {
      const cache = new HydraCache({ changes: new SlowSource() });
      const ready = cache.ready(500);
      jest.advanceTimersByTime(500);
      await expect(ready).resolves.toBe(false);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
