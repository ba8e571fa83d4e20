import { jest } from '@jest/globals';
import {
  CacheError,
  CacheKeyBuilder,
  CacheOptions,
  HydraCache,
  TagSet,
  TypedCache,
} from '../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../support/clock.js';
import { deferred } from '../support/deferred.js';

interface User {
  id: number;
  name: string;
}

describe('TypedCache', () => {
  let cache: HydraCache;
  let users: TypedCache<User>;

  beforeEach(() => {
    cache = HydraCache.local().build();
    users = cache.typed<User>('users');
  });

  describe('keys', () => {
    it('exposes its namespace', () => {
      expect(users).toBeInstanceOf(TypedCache);
      expect(users.namespace).toBe('users');
    });

    it('key(k) is namespace:k, for strings and CacheKeys', () => {
      expect(users.key('42')).toBe('users:42');
      expect(users.key(new CacheKeyBuilder().entity('user', 42).build())).toBe('users:user:42');
    });

    it('does not escape the namespace or the key given as a string', () => {
      expect(cache.typed('a:b%').key('c:d')).toBe('a:b%:c:d');
    });

    it('keyFrom(builder) prefixes the built key', () => {
      const builder = new CacheKeyBuilder().tenant(7).entity('user', 42);
      expect(users.keyFrom(builder)).toBe('users:tenant:7:user:42');
      expect(users.keyFrom(new CacheKeyBuilder().segment('a:b'))).toBe('users:a%3Ab');
    });

    it('keyFrom(empty builder) is the namespace alone', () => {
      expect(users.keyFrom(new CacheKeyBuilder())).toBe('users');
    });

    it('rejects a non-string namespace at once', () => {
      expect(() => cache.typed(7 as unknown as string)).toThrow(CacheError);
    });
  });

  describe('operations on prefixed keys', () => {
    it('put/get store under namespace:key in the shared cache', async () => {
      await users.put('42', { id: 42, name: 'Ada' });
      expect(await users.get('42')).toEqual({ id: 42, name: 'Ada' });
      expect(await cache.get('users:42')).toEqual({ id: 42, name: 'Ada' });
      expect(await cache.get('42')).toBeUndefined();
    });

    it('reads what the shared cache stored under the prefixed key', async () => {
      await cache.put('users:1', { id: 1, name: 'raw' });
      expect(await users.get('1')).toEqual({ id: 1, name: 'raw' });
    });

    it('keeps namespaces apart', async () => {
      const posts = cache.typed<{ title: string }>('posts');
      await users.put('1', { id: 1, name: 'Ada' });
      await posts.put('1', { title: 'Hello' });
      expect(await users.get('1')).toEqual({ id: 1, name: 'Ada' });
      expect(await posts.get('1')).toEqual({ title: 'Hello' });
      expect(await posts.invalidateKey('1')).toBe(true);
      expect(await users.containsKey('1')).toBe(true);
    });

    it('works with keys built by keyFrom-compatible builders', async () => {
      const key = new CacheKeyBuilder().tenant(7).entity('user', 42);
      await users.put(key.build(), { id: 42, name: 'typed-user' });
      expect(await cache.get(users.keyFrom(key))).toEqual({ id: 42, name: 'typed-user' });
    });

    it('getOrLoad, getOrInsertWith and tryGetOrInsertWith load once and hit afterwards', async () => {
      const loader = jest.fn(async () => ({ id: 1, name: 'loaded' }));
      expect(await users.getOrLoad('1', undefined, loader)).toEqual({ id: 1, name: 'loaded' });
      expect(await users.getOrInsertWith('1', undefined, loader)).toEqual({
        id: 1,
        name: 'loaded',
      });
      expect(await users.tryGetOrInsertWith('1', undefined, loader)).toEqual({
        id: 1,
        name: 'loaded',
      });
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await cache.containsKey('users:1')).toBe(true);
    });

    it('containsKey, invalidateKey and remove act on the prefixed key', async () => {
      await cache.put('1', 'unprefixed');
      await users.put('1', { id: 1, name: 'a' });
      expect(await users.containsKey('1')).toBe(true);
      expect(await users.invalidateKey('1')).toBe(true);
      expect(await users.containsKey('1')).toBe(false);
      await users.put('1', { id: 1, name: 'a' });
      expect(await users.remove('1')).toBe(true);
      expect(await users.remove('1')).toBe(false);
      expect(await cache.get('1')).toBe('unprefixed');
    });

    it('honours options (TTL and tags)', async () => {
      installFakeClock();
      try {
        await users.put('1', { id: 1, name: 'a' }, CacheOptions.new().ttl(100));
        await users.getOrLoad('2', { ttl: 100 }, () => ({ id: 2, name: 'b' }));
        advance(100);
        expect(await users.get('1')).toBeUndefined();
        expect(await users.get('2')).toBeUndefined();
      } finally {
        uninstallFakeClock();
      }
    });
  });

  describe('shared with the underlying cache', () => {
    it('tags are global: invalidateTag reaches every namespace', async () => {
      const posts = cache.typed<string>('posts');
      const tags = new TagSet().entity('user', 42);
      await users.put('42', { id: 42, name: 'Ada' }, CacheOptions.new().tagSet(tags));
      await posts.put('p1', 'by 42', { tags });
      await cache.put('raw', 1, { tags });
      expect(await posts.invalidateTag('user:42')).toBe(3);
      expect(cache.stats().size).toBe(0);
    });

    it('flush clears the whole cache, not just the namespace', async () => {
      await users.put('1', { id: 1, name: 'a' });
      await cache.put('other', 1);
      await users.flush();
      expect(cache.stats().size).toBe(0);
    });

    it('stats are the shared cache stats', async () => {
      await users.get('missing');
      await cache.get('missing');
      expect(users.stats()).toEqual(cache.stats());
      expect(users.stats().misses).toBe(2);
    });

    it('single-flight is shared with the untyped API for the same full key', async () => {
      const gate = deferred<User>();
      const loader = jest.fn(() => gate.promise);
      const typedCall = users.getOrLoad('1', undefined, loader);
      const rawCall = cache.getOrLoad<User>('users:1', undefined, loader);
      gate.resolve({ id: 1, name: 'once' });
      expect(await typedCall).toEqual({ id: 1, name: 'once' });
      expect(await rawCall).toEqual({ id: 1, name: 'once' });
      expect(loader).toHaveBeenCalledTimes(1);
      expect(cache.stats().singleFlightJoins).toBe(1);
    });

    it('keeps stale-load safety: a tag invalidated during a typed load discards it', async () => {
      const stale = deferred<User>();
      const waiting = users.getOrLoad('42', { tags: ['user:42'] }, () => stale.promise);
      await users.invalidateTag('user:42');
      const fresh = users.getOrLoad('42', { tags: ['user:42'] }, async () => ({
        id: 42,
        name: 'fresh',
      }));
      expect(await fresh).toEqual({ id: 42, name: 'fresh' });
      stale.resolve({ id: 42, name: 'stale' });
      expect(await waiting).toEqual({ id: 42, name: 'stale' });
      expect(await users.get('42')).toEqual({ id: 42, name: 'fresh' });
      expect(users.stats().staleLoadDiscards).toBe(1);
    });

    it('two views of the same namespace see the same entries', async () => {
      await cache.typed<number>('n').put('k', 1);
      expect(await cache.typed<number>('n').get('k')).toBe(1);
    });
  });
});
