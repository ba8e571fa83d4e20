import 'reflect-metadata';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Param,
  Scope,
  type INestApplication,
} from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '../../lib/index.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { countdown, startApp, type Countdown } from '../support/nest-app.js';

/** Singleton: counts the real lookups and the request-scoped instances created. */
@Injectable()
class Lookups {
  calls = 0;
  instances = 0;
  gate: Deferred<void> | undefined;
  arrivals: Countdown | undefined;
}

@Injectable({ scope: Scope.REQUEST })
class QuotesService {
  readonly instance: number;

  constructor(
    @Inject(REQUEST) private readonly req: IncomingMessage,
    private readonly lookups: Lookups,
  ) {
    this.instance = ++lookups.instances;
  }

  @Cached({ key: (symbol: string) => `quote:${symbol}`, tags: ['quotes'] })
  async quote(symbol: string): Promise<{ symbol: string; price: number; servedBy: number }> {
    this.lookups.calls++;
    if (this.lookups.gate !== undefined) await this.lookups.gate.promise;
    return { symbol, price: symbol.length * 100, servedBy: this.instance };
  }

  @InvalidateTags(['quotes'])
  async refresh(): Promise<string | undefined> {
    return this.req.headers['x-user'] as string | undefined;
  }
}

@Controller('quotes')
class QuotesController {
  constructor(
    private readonly quotes: QuotesService,
    private readonly lookups: Lookups,
  ) {}

  @Get('refresh')
  async refresh(): Promise<{ by: string | undefined }> {
    return { by: await this.quotes.refresh() };
  }

  @Get(':symbol')
  async get(@Param('symbol') symbol: string): Promise<object> {
    const quote = this.quotes.quote(symbol);
    this.lookups.arrivals?.tick();
    return quote;
  }
}

describe('e2e: a request-scoped provider with @Cached', () => {
  let app: INestApplication;
  let lookups: Lookups;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [QuotesController],
      providers: [QuotesService, Lookups],
    });
    lookups = app.get(Lookups);
  });

  afterEach(async () => {
    await app.close();
  });

  it('gets a new instance per request, all sharing the application’s cache', async () => {
    const server = app.getHttpServer();
    const first = await request(server).get('/quotes/ACME').expect(200);
    expect(first.body).toEqual({ symbol: 'ACME', price: 400, servedBy: 1 });

    const second = await request(server).get('/quotes/ACME').expect(200);
    // Served from the cache: the value the first request's instance loaded.
    expect(second.body).toEqual(first.body);
    expect(lookups.instances).toBe(2);
    expect(lookups.calls).toBe(1);
    expect(app.get(HydraCache).stats()).toMatchObject({ hits: 1, loads: 1 });
  });

  it('shares one load among concurrent requests (each with its own instance)', async () => {
    lookups.gate = deferred<void>();
    const arrived = (lookups.arrivals = countdown(5));
    const server = app.getHttpServer();
    const responses = Promise.all(
      Array.from({ length: 5 }, () => request(server).get('/quotes/XYZ')),
    );
    await arrived.reached;
    expect(lookups.calls).toBe(1);
    lookups.gate.resolve();

    const bodies = (await responses).map((response) => response.body);
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(lookups.instances).toBe(5);
    expect(lookups.calls).toBe(1);
  });

  it('invalidates from a request-scoped instance that reads its request', async () => {
    const server = app.getHttpServer();
    await request(server).get('/quotes/ACME').expect(200);
    await request(server).get('/quotes/refresh').set('X-User', 'ada').expect(200, { by: 'ada' });
    const after = await request(server).get('/quotes/ACME').expect(200);
    expect(after.body.servedBy).toBe(3);
    expect(lookups.calls).toBe(2);
  });
});
