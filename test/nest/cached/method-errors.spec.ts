import 'reflect-metadata';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

class DomainError extends Error {
  constructor(readonly detail: { id: number }) {
    super(`domain failure for ${detail.id}`);
  }
}

@Injectable()
class Accounts {
  loads = 0;
  next: unknown;

  @Cached({ key: (id: number) => `account:${id}`, tags: ['accounts'] })
  async find(id: number): Promise<{ id: number }> {
    this.loads++;
    if (this.next !== undefined) throw this.next;
    return { id };
  }
}

describe('errors thrown by a @Cached method', () => {
  let moduleRef: TestingModule;
  let accounts: Accounts;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Accounts],
    });
    accounts = moduleRef.get(Accounts);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it.each([
    ['a NotFoundException', new NotFoundException('no account 1')],
    ['a custom Error subclass', new DomainError({ id: 1 })],
    ['a non-Error value', { reason: 'thrown object' }],
  ])('rejects with %s, the very same object', async (_label, thrown) => {
    accounts.next = thrown;
    await expect(accounts.find(1)).rejects.toBe(thrown);
  });

  it('caches nothing and retries the method on the next call', async () => {
    accounts.next = new NotFoundException();
    await expect(accounts.find(1)).rejects.toBeInstanceOf(NotFoundException);
    await expect(accounts.find(1)).rejects.toBeInstanceOf(NotFoundException);
    expect(accounts.loads).toBe(2);
    expect(cache.stats().size).toBe(0);

    accounts.next = undefined;
    expect(await accounts.find(1)).toEqual({ id: 1 });
    expect(await accounts.find(1)).toEqual({ id: 1 });
    expect(accounts.loads).toBe(3);
  });
});
