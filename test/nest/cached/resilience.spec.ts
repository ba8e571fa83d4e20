import { HydraCache } from '../../../lib/index.js';
import { Cached } from '../../../lib/index.js';
import { attachHydraCache } from '../../../lib/index.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { flushMicrotasks } from '../../support/deferred.js';

class Database {
  calls = 0;
  failing = false;
  async find(id: number): Promise<string | null> {
    this.calls++;
    if (this.failing) throw new Error('database down');
    return id === 0 ? null : `user ${id}`;
  }
}

class Users {
  constructor(readonly db: Database) {}

  @Cached({
    ttl: (user: string | null) => (user === null ? 500 : 1_000),
    grace: 60_000,
    timeout: 100,
    hardTimeout: 2_000,
    failSafeBackoff: 5_000,
  })
  find(id: number): Promise<string | null> {
    return this.db.find(id);
  }
}

describe('@Cached with grace, fail-safe and timeouts', () => {
  let cache: HydraCache;
  let users: Users;
  let db: Database;

  beforeEach(() => {
    installFakeClock();
    cache = new HydraCache();
    db = new Database();
    users = attachHydraCache(new Users(db), cache);
  });

  afterEach(async () => {
    await cache.close();
    uninstallFakeClock();
  });

  it('serves the last result through a database outage, then resumes', async () => {
    expect(await users.find(1)).toBe('user 1');
    db.failing = true;
    advance(1_500);
    expect(await users.find(1)).toBe('user 1');
    await flushMicrotasks();
    expect(await users.find(1)).toBe('user 1'); // backoff: the database is left alone
    expect(db.calls).toBe(2);
    db.failing = false;
    advance(5_000);
    await users.find(1);
    await flushMicrotasks();
    expect(cache.stats()).toMatchObject({ failSafeActivations: 1 });
  });

  it('passes a TTL function the result: "not found" expires sooner', async () => {
    await users.find(0);
    await users.find(1);
    expect(db.calls).toBe(2);
    advance(600);
    const stats = cache.stats();
    await users.find(1);
    expect(cache.stats().hits).toBe(stats.hits + 1);
  });

  it('refuses bad resilience options at decoration time', () => {
    expect(() => Cached({ grace: -1 })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
    expect(() => Cached({ refreshAhead: 2 })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
  });
});
