import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCacheModule } from '../../../lib/index.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Rates {
  loads = 0;

  @Cached({ key: 'rates:short', ttl: 1_000 })
  async short(): Promise<number> {
    return ++this.loads;
  }

  @Cached({ key: 'rates:default' })
  async byDefault(): Promise<number> {
    return ++this.loads;
  }

  @Cached({ key: 'rates:forever', ttl: Infinity })
  async forever(): Promise<number> {
    return ++this.loads;
  }
}

describe('@Cached ttl', () => {
  let moduleRef: TestingModule;
  let rates: Rates;

  beforeEach(async () => {
    // Only the clock is faked: the cache reads Date.now(), and Nest keeps its real timers.
    jest.useFakeTimers({
      now: new Date('2030-01-01T00:00:00Z'),
      doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'],
    });
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot({ defaultTtl: 5_000 })],
      providers: [Rates],
    });
    rates = moduleRef.get(Rates);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('expires an entry after its ttl in milliseconds', async () => {
    expect(await rates.short()).toBe(1);
    jest.advanceTimersByTime(999);
    expect(await rates.short()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(await rates.short()).toBe(2);
    expect(rates.loads).toBe(2);
  });

  it('falls back to the module’s defaultTtl', async () => {
    expect(await rates.byDefault()).toBe(1);
    jest.advanceTimersByTime(4_999);
    expect(await rates.byDefault()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(await rates.byDefault()).toBe(2);
  });

  it('keeps an entry with ttl Infinity', async () => {
    expect(await rates.forever()).toBe(1);
    jest.advanceTimersByTime(365 * 24 * 3_600_000);
    expect(await rates.forever()).toBe(1);
  });
});
