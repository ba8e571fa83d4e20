import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, CacheError, HydraCacheModule, InvalidateTags } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Accounts {
  balance = 100;
  loads = 0;

  @Cached({ key: 'balance', tags: ['account:1'] })
  async read(): Promise<number> {
    this.loads++;
    return this.balance;
  }

  /** The write succeeds, then `resultTags` hands back something that is not a tag. */
  @InvalidateTags({ tags: (_id: number) => ['account:1'], resultTags: () => [42 as any] })
  async deposit(_id: number, amount: number): Promise<number> {
    this.balance += amount;
    return this.balance;
  }
}

describe('@InvalidateTags whose resultTags returns a bad tag', () => {
  let moduleRef: TestingModule;
  let accounts: Accounts;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Accounts],
    });
    accounts = moduleRef.get(Accounts);
  });

  afterEach(() => moduleRef.close());

  it('still invalidates the argument tags, then rejects naming the bad tag', async () => {
    expect(await accounts.read()).toBe(100);

    const error = await accounts.deposit(1, 5).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
    expect((error as CacheError).message).toContain('number 42');
    // The write happened; without the argument-tag invalidation the old 100 would be served.
    expect(await accounts.read()).toBe(105);
    expect(accounts.loads).toBe(2);
  });
});
