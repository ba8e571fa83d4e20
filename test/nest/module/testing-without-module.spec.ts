import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Cached, CacheError, HydraCacheModule, InvalidateTags } from '../../../lib/index.js';

/** A repository the unit test replaces with a mock. */
abstract class UsersRepo {
  abstract find(id: number): Promise<string>;
}

@Injectable()
class UsersService {
  constructor(private readonly repo: UsersRepo) {}

  @Cached({ key: (id: number) => `user:${id}`, tags: ['users'] })
  async findOne(id: number): Promise<string> {
    return this.repo.find(id);
  }

  @InvalidateTags('users')
  async rename(): Promise<void> {}

  /** Not decorated: the usual target of a unit test with a mocked repository. */
  async describeUser(id: number): Promise<string> {
    return `user ${await this.repo.find(id)}`;
  }
}

describe('a decorated provider in a unit-test module', () => {
  const repo = { find: async (id: number) => `#${id}` };

  it('compiles without HydraCacheModule; undecorated methods work with the mock', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [UsersService, { provide: UsersRepo, useValue: repo }],
    }).compile();

    const users = moduleRef.get(UsersService);
    expect(await users.describeUser(1)).toBe('user #1');
    await moduleRef.close();
  });

  it('rejects decorated calls with E_NO_CACHE naming the fix, rather than running uncached', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [UsersService, { provide: UsersRepo, useValue: repo }],
    }).compile();

    const users = moduleRef.get(UsersService);
    const error = await users.findOne(1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_NO_CACHE' });
    expect((error as CacheError).message).toContain('UsersService.findOne');
    expect((error as CacheError).message).toContain('HydraCacheModule.forRoot()');
    await expect(users.rename()).rejects.toMatchObject({ code: 'E_NO_CACHE' });
    await moduleRef.close();
  });

  it('caches with the mock once HydraCacheModule.forRoot() is imported (the README recipe)', async () => {
    let calls = 0;
    const moduleRef = await Test.createTestingModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [
        UsersService,
        { provide: UsersRepo, useValue: { find: async (id: number) => `#${id}:${++calls}` } },
      ],
    }).compile();
    await moduleRef.init();

    const users = moduleRef.get(UsersService);
    expect(await users.findOne(1)).toBe('#1:1');
    expect(await users.findOne(1)).toBe('#1:1');
    await users.rename();
    expect(await users.findOne(1)).toBe('#1:2');
    await moduleRef.close();
  });
});
