import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { CacheError, HydraCache } from '../../lib/index.js';
import { hydraQueryCache } from '../../lib/typeorm/index.js';

describe('hydraQueryCache options', () => {
  const cache = new HydraCache();

  it('returns the DataSource cache option with TypeORM defaults', () => {
    expect(hydraQueryCache(cache)).toMatchObject({
      duration: 1000,
      alwaysEnabled: false,
      ignoreErrors: false,
    });
    expect(hydraQueryCache(cache, { duration: 60_000, alwaysEnabled: true })).toMatchObject({
      duration: 60_000,
      alwaysEnabled: true,
    });
  });

  it.each([
    [{ duration: 0 }, 'duration'],
    [{ keyPrefix: '' }, 'keyPrefix'],
    [{ maxStatements: 1.5 }, 'maxStatements'],
    [{ alwaysEnabled: 'yes' }, 'alwaysEnabled'],
    [{ ttl: 5 }, 'ttl'],
  ])('rejects %j naming %s', (options, field) => {
    expect(() => hydraQueryCache(cache, options as never)).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_OPTION',
        message: expect.stringContaining(field),
      }),
    );
  });

  it('rejects a driver whose SQL it cannot parse, naming the supported ones', () => {
    const dataSource = { options: { type: 'mssql' } } as unknown as DataSource;
    let error: unknown;
    try {
      hydraQueryCache(cache).provider(dataSource);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({
      code: 'E_TYPEORM_DIALECT',
      message: expect.stringContaining('postgres'),
    });
  });
});
