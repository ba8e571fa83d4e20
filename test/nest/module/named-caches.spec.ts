import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  attachHydraCache,
  Cached,
  getHydraCacheToken,
  HydraCache,
  HydraCacheModule,
  InjectHydraCache,
  InvalidateKeys,
  InvalidateTags,
} from '../../../lib/index.js';
import { compileModule, startApp } from '../../support/nest-app.js';

@Injectable()
class Sessions {
  loads = 0;

  constructor(
    @InjectHydraCache('sessions') readonly sessions: HydraCache,
    @InjectHydraCache() readonly byDefaultToken: HydraCache,
    readonly byClass: HydraCache,
  ) {}

  @Cached({ cache: 'sessions', key: (id: string) => `session:${id}`, tags: ['sessions'] })
  async find(id: string): Promise<string> {
    return `${id}#${++this.loads}`;
  }

  @Cached({ key: (id: string) => `session:${id}` })
  async findInDefault(id: string): Promise<string> {
    return `${id}#${++this.loads}`;
  }

  @InvalidateTags('sessions', { cache: 'sessions' })
  async revokeAll(): Promise<void> {}

  @InvalidateTags({ tags: 'sessions', cache: 'sessions' })
  async revokeAllLongForm(): Promise<void> {}

  @InvalidateKeys((id: string) => `session:${id}`, { cache: 'sessions' })
  async revoke(_id: string): Promise<void> {}
}

const modules = () => [
  HydraCacheModule.forRoot(),
  HydraCacheModule.forRoot({ name: 'sessions', defaultTtl: 60_000, maxCapacity: 2 }),
];

describe('named caches', () => {
  it('registers a named cache beside the default one, each with its own settings', async () => {
    const moduleRef = await compileModule({ imports: modules(), providers: [Sessions] });
    const s = moduleRef.get(Sessions);
    expect(s.sessions).toBeInstanceOf(HydraCache);
    expect(s.sessions).not.toBe(s.byClass);
    expect(s.byDefaultToken).toBe(s.byClass);
    expect(moduleRef.get(getHydraCacheToken('sessions'))).toBe(s.sessions);
    // maxCapacity 2 applies to the named cache only.
    for (const key of ['a', 'b', 'c']) {
      await s.sessions.put(key, 1);
      await s.byClass.put(key, 1);
    }
    expect(s.sessions.stats().size).toBe(2);
    expect(s.byClass.stats().size).toBe(3);
    // The registered name is the cache's own name too: its events and metrics carry it.
    expect(s.sessions.name).toBe('sessions');
    expect(s.byClass.name).toBe('default');
    await moduleRef.close();
  });

  it('@Cached({ cache }) and the invalidation decorators act on the named cache only', async () => {
    const moduleRef = await compileModule({ imports: modules(), providers: [Sessions] });
    const s = moduleRef.get(Sessions);
    expect(await s.find('x')).toBe('x#1');
    expect(await s.find('x')).toBe('x#1');
    expect(await s.sessions.get('session:x')).toBe('x#1');
    expect(await s.byClass.get('session:x')).toBeUndefined();
    expect(await s.findInDefault('x')).toBe('x#2');

    await s.revokeAll();
    expect(await s.find('x')).toBe('x#3');
    await s.revokeAllLongForm();
    expect(await s.find('x')).toBe('x#4');
    await s.revoke('x');
    expect(await s.find('x')).toBe('x#5');
    // The default cache's entry of the same key was never touched.
    expect(await s.findInDefault('x')).toBe('x#2');
    await moduleRef.close();
  });

  it('forRootAsync takes a name too', async () => {
    const moduleRef = await compileModule({
      imports: [
        HydraCacheModule.forRoot(),
        HydraCacheModule.forRootAsync({
          name: 'sessions',
          useFactory: async () => ({ maxCapacity: 1 }),
        }),
      ],
      providers: [Sessions],
    });
    const s = moduleRef.get(Sessions);
    await s.find('a');
    await s.find('b');
    expect(s.sessions.stats().size).toBe(1);
    await moduleRef.close();
  });

  it('fails the bootstrap with E_NO_CACHE naming a cache no module registered', async () => {
    @Injectable()
    class Carts {
      @Cached({ cache: 'carts', key: 'cart' })
      async find(): Promise<number> {
        return 1;
      }
    }
    await expect(
      startApp({ imports: [HydraCacheModule.forRoot()], providers: [Carts] }),
    ).rejects.toMatchObject({
      code: 'E_NO_CACHE',
      message: expect.stringMatching(/Carts .*the cache "carts".*forRoot\(\{ name: 'carts' \}\)/),
    });
  });

  it('gives each application its own instances', async () => {
    const first = await compileModule({ imports: modules(), providers: [Sessions] });
    const second = await compileModule({ imports: modules(), providers: [Sessions] });
    expect(first.get(Sessions).sessions).not.toBe(second.get(Sessions).sessions);
    await first.get(Sessions).find('x');
    expect(await second.get(Sessions).sessions.get('session:x')).toBeUndefined();
    await first.close();
    await second.close();
  });

  it('closes every cache the module created on application shutdown', async () => {
    const app = await startApp({ imports: modules(), providers: [Sessions] });
    const s = app.get(Sessions);
    const closes = [jest.spyOn(s.sessions, 'close'), jest.spyOn(s.byClass, 'close')];
    await s.find('x');
    await app.close();
    expect(closes.map((spy) => spy.mock.calls.length)).toEqual([1, 1]);
    expect(s.sessions.stats().size).toBe(0);
  });

  it('attachHydraCache takes the name for instances built with new', async () => {
    const cache = HydraCache.local().build();
    const s = attachHydraCache(new Sessions(cache, cache, cache), cache, 'sessions');
    expect(await s.find('y')).toBe('y#1');
    expect(await cache.get('session:y')).toBe('y#1');
    await expect(s.findInDefault('y')).rejects.toMatchObject({ code: 'E_NO_CACHE' });
  });

  it.each([
    ['an empty module name', () => HydraCacheModule.forRoot({ name: '' })],
    ['a numeric cache name', () => Cached({ cache: 5 as any })],
    ['a misspelt second argument', () => InvalidateTags('a', { cahce: 'x' } as any)],
  ])('refuses %s with E_INVALID_OPTION', (_l, make) => {
    expect(make).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });
});

describe('two copies of the library (ESM and CJS builds) in one app', () => {
  it('agree on tokens and accept each other’s caches', async () => {
    let copy: typeof import('../../../lib/index.js') | undefined;
    await jest.isolateModulesAsync(async () => {
      copy = await import('../../../lib/index.js');
    });
    if (copy === undefined) throw new Error('the second copy did not load');
    expect(copy.HydraCache).not.toBe(HydraCache);
    expect(copy.getHydraCacheToken('sessions')).toBe(getHydraCacheToken('sessions'));
    const foreign = copy.HydraCache.local().build();
    const s = attachHydraCache(new Sessions(foreign, foreign, foreign), foreign, 'sessions');
    expect(await s.find('z')).toBe('z#1');
    expect(await foreign.get('session:z')).toBe('z#1');
  });
});
