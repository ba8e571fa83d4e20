import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class UsersService {
  loads = 0;

  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`, 'users'] })
  async findOne(id: number): Promise<{ id: number; load: number }> {
    return { id, load: ++this.loads };
  }
}

@Injectable()
class TeamsService {
  loads = 0;

  @Cached({ key: (id: number) => `team:${id}`, tags: (id: number) => [`team:${id}`, 'user:1'] })
  async findOne(id: number): Promise<{ id: number; members: number[]; load: number }> {
    return { id, members: [1], load: ++this.loads };
  }

  /** Reads the same key UsersService caches under. */
  @Cached({ key: (id: number) => `user:${id}` })
  async member(id: number): Promise<{ id: number; load: number }> {
    return { id, load: -1 };
  }
}

@Injectable()
class AdminService {
  /** Invalidates what both other services cached for user 1. */
  @InvalidateTags((id: number) => [`user:${id}`])
  async deactivate(id: number): Promise<number> {
    return id;
  }
}

@Module({ providers: [UsersService], exports: [UsersService] })
class UsersModule {}

@Module({ providers: [TeamsService], exports: [TeamsService] })
class TeamsModule {}

describe('several decorated classes sharing one cache', () => {
  let moduleRef: TestingModule;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot(), UsersModule, TeamsModule],
      providers: [AdminService],
    });
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('use the one HydraCache of the application', async () => {
    const users = moduleRef.get(UsersService);
    const teams = moduleRef.get(TeamsService);
    const cache = moduleRef.get(HydraCache);

    await users.findOne(1);
    await users.findOne(1);
    await teams.findOne(10);
    await teams.findOne(10);
    expect(cache.stats()).toMatchObject({ loads: 2, hits: 2, size: 2 });
  });

  it('see each other’s entries when they use the same key', async () => {
    await moduleRef.get(UsersService).findOne(1);
    expect(await moduleRef.get(TeamsService).member(1)).toEqual({ id: 1, load: 1 });
  });

  it('are invalidated together by a tag they share, from a third class', async () => {
    const users = moduleRef.get(UsersService);
    const teams = moduleRef.get(TeamsService);
    await users.findOne(1);
    await users.findOne(2);
    await teams.findOne(10);

    await moduleRef.get(AdminService).deactivate(1);
    const cache = moduleRef.get(HydraCache);
    expect(await cache.containsKey('user:1')).toBe(false);
    expect(await cache.containsKey('team:10')).toBe(false);
    expect(await cache.containsKey('user:2')).toBe(true);
  });
});
