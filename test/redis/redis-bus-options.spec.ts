import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { CacheError } from '../../lib/core/cache.errors.js';
import { redisBus } from '../../lib/redis/index.js';
import { resolveRedisBusOptions } from '../../lib/redis/redis-bus.options.js';

describe('redisBus options', () => {
  it('defaults to the local Redis and the default channel, versioned in the Redis names', () => {
    const resolved = resolveRedisBusOptions();
    expect(resolved).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      channel: 'default',
      redisChannel: 'hydracache:v1:default',
      stateKey: 'hydracache:v1:default:state',
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      heartbeatInterval: 2_000,
      maxReconnectDelay: 2_000,
    });
    expect(resolved.name).toMatch(/^[0-9a-f]{8}$/);
  });

  it('builds without touching the network', () => {
    expect(redisBus({ url: 'redis://127.0.0.1:1', channel: 'orders' }).name).toBe('redis');
  });

  it.each([
    [{ chanel: 'x' }, 'Unknown option "chanel" in redisBus options'],
    [{ url: 'http://localhost' }, 'Invalid option "redisBus url"'],
    [{ channel: 'with space' }, 'Invalid option "redisBus channel"'],
    [{ channel: '' }, 'Invalid option "redisBus channel"'],
    [{ name: 'a/b' }, 'Invalid option "redisBus name"'],
    [{ commandTimeout: 0 }, 'Invalid option "redisBus commandTimeout"'],
    [{ heartbeatInterval: 1.5 }, 'Invalid option "redisBus heartbeatInterval"'],
    [{ client: {} }, 'Invalid option "redisBus client"'],
  ])('rejects %j with E_INVALID_OPTION', (options, message) => {
    const attempt = () => resolveRedisBusOptions(options as never);
    expect(attempt).toThrow(CacheError);
    expect(attempt).toThrow(message);
  });

  it.each([
    [{ key: 'too-short-a-secret' }, 'Invalid option "redisBus key"'],
    [{ key: Buffer.alloc(31) }, 'Invalid option "redisBus key"'],
    [{ key: 42 }, 'Invalid option "redisBus key"'],
    [{ acceptKeys: ['x'.repeat(32)] }, 'Invalid option "redisBus acceptKeys"'],
    [{ key: 'k'.repeat(32), acceptKeys: 'x'.repeat(32) }, 'Invalid option "redisBus acceptKeys"'],
    [{ key: 'k'.repeat(32), acceptKeys: ['short'] }, 'Invalid option "redisBus acceptKeys[0]"'],
  ])('rejects a bad shared key %#: E_INVALID_OPTION, without quoting it', (options, message) => {
    let error: unknown;
    try {
      resolveRedisBusOptions(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('E_INVALID_OPTION');
    expect((error as CacheError).message).toContain(message);
    expect((error as CacheError).message).not.toContain('too-short-a-secret');
    expect((error as CacheError).message).not.toContain('short"');
  });

  it('takes a shared key of 32 bytes or more, as a string or a Buffer, and copies it', () => {
    const key = Buffer.alloc(32, 7);
    const resolved = resolveRedisBusOptions({ key, acceptKeys: ['é'.repeat(16)] });
    key.fill(0);
    expect(resolved.key).toEqual(Buffer.alloc(32, 7));
    expect(resolved.acceptKeys).toEqual([Buffer.from('é'.repeat(16))]);
    expect(resolveRedisBusOptions().key).toBeUndefined();
  });

  it('refuses a url together with a client', () => {
    const client = new Redis({ lazyConnect: true });
    expect(() => redisBus({ client, url: 'redis://127.0.0.1:6379' })).toThrow(
      'expected no url when a client is given',
    );
    client.disconnect();
  });
});
