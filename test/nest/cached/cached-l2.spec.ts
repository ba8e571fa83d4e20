import { attachHydraCache, Cached, HydraCache, InjectHydraCache } from '../../../lib/index.js';
import { MemoryTier } from '../../support/memory-tier.js';

class Users {
  constructor(@InjectHydraCache() readonly cache: HydraCache) {}

  @Cached({ key: (id: number) => `user:${id}` })
  async shared(id: number): Promise<string> {
    return `user ${id}`;
  }

  @Cached({ key: (id: number) => `secret:${id}`, l2: false })
  async local(id: number): Promise<string> {
    return `secret ${id}`;
  }
}

describe('@Cached and the second tier', () => {
  it('shares results through the tier unless l2: false', async () => {
    const tier = new MemoryTier();
    const cache = new HydraCache({ l2: tier });
    const users = attachHydraCache(new Users(cache), cache);
    await users.shared(1);
    await users.local(1);
    expect(tier.calls.filter((c) => c === 'fill')).toHaveLength(1);
    expect(cache.l2Stats()?.skipped).toBe(1);
  });

  it('refuses a non-boolean l2', () => {
    expect(() => Cached({ l2: 'no' as never })).toThrow(/"l2"/);
  });
});
