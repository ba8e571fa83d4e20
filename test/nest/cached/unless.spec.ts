import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

interface Profile {
  id: number;
  draft: boolean;
}

@Injectable()
class Profiles {
  loads = 0;
  gate: Deferred<void> | undefined;
  readonly known = new Map<number, Profile>([
    [1, { id: 1, draft: false }],
    [2, { id: 2, draft: true }],
  ]);

  @Cached({
    key: (id: number) => `profile:${id}`,
    unless: (profile: Profile | null) => profile === null,
  })
  async find(id: number): Promise<Profile | null> {
    this.loads++;
    if (this.gate !== undefined) await this.gate.promise;
    return this.known.get(id) ?? null;
  }

  @Cached({
    key: (id: number, _preview: boolean) => `profile-view:${id}`,
    unless: (profile: Profile, _id: number, preview: boolean) => preview || profile.draft,
  })
  async view(id: number, preview: boolean): Promise<Profile> {
    this.loads++;
    return { ...this.known.get(id)!, draft: this.known.get(id)!.draft || preview };
  }

  /** `unless` returns the draft flag's owner object, not a boolean: truthy counts as true. */
  @Cached({
    key: (id: number) => `profile-truthy:${id}`,
    unless: ((profile: Profile) => (profile.draft ? { reason: 'draft' } : null)) as never,
  })
  async truthy(id: number): Promise<Profile> {
    this.loads++;
    return this.known.get(id)!;
  }

  @Cached({ key: (id: number) => `profile-maybe:${id}` })
  async maybe(id: number): Promise<Profile | undefined> {
    this.loads++;
    return this.known.get(id);
  }
}

describe('@Cached unless', () => {
  let moduleRef: TestingModule;
  let profiles: Profiles;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Profiles],
    });
    profiles = moduleRef.get(Profiles);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('returns a result it says to skip without caching it', async () => {
    expect(await profiles.find(404)).toBeNull();
    expect(await profiles.find(404)).toBeNull();
    expect(profiles.loads).toBe(2);
    expect(await cache.containsKey('profile:404')).toBe(false);
  });

  it('caches the results it does not skip', async () => {
    expect(await profiles.find(1)).toEqual({ id: 1, draft: false });
    expect(await profiles.find(1)).toEqual({ id: 1, draft: false });
    expect(profiles.loads).toBe(1);
  });

  it('receives the arguments after the result', async () => {
    await profiles.view(1, true);
    await profiles.view(1, true);
    expect(profiles.loads).toBe(2);
    await profiles.view(1, false);
    await profiles.view(1, false);
    expect(profiles.loads).toBe(3);
    await profiles.view(2, false);
    await profiles.view(2, false);
    expect(profiles.loads).toBe(5);
  });

  it('hands a skipped result to every caller that joined the load', async () => {
    profiles.gate = deferred<void>();
    const calls = [profiles.find(404), profiles.find(404), profiles.find(404)];
    profiles.gate.resolve();
    expect(await Promise.all(calls)).toEqual([null, null, null]);
    expect(profiles.loads).toBe(1);
    expect(cache.stats().size).toBe(0);
  });

  it('treats a truthy answer that is not a boolean as true, a falsy one as false', async () => {
    await profiles.truthy(2);
    await profiles.truthy(2);
    expect(profiles.loads).toBe(2);
    expect(await cache.containsKey('profile-truthy:2')).toBe(false);
    await profiles.truthy(1);
    await profiles.truthy(1);
    expect(profiles.loads).toBe(3);
  });

  it('never caches undefined, which means "absent"', async () => {
    expect(await profiles.maybe(9)).toBeUndefined();
    expect(await profiles.maybe(9)).toBeUndefined();
    expect(profiles.loads).toBe(2);
  });
});
