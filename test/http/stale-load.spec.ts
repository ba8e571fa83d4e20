import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Param,
  Post,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { HydraCacheModule, InvalidateTags } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { ADAPTERS, startHttpApp, waitFor } from './support/http-app.js';

/** The data behind the route; `gate` holds a read open after it has taken its snapshot. */
@Injectable()
class Prices {
  price = 10;
  reads = 0;
  gate: Deferred<void> | undefined;
}

@Controller('prices')
@UseInterceptors(HydraCacheInterceptor)
class PricesController {
  constructor(private readonly prices: Prices) {}

  @Get(':sku')
  @CacheRoute({ ttl: 60_000, public: true, tags: (req) => `sku:${req.params!.sku}` })
  async get(@Param('sku') sku: string) {
    const price = this.prices.price;
    this.prices.reads++;
    await this.prices.gate?.promise;
    return { sku, price };
  }

  @Post(':sku/raise')
  @InvalidateTags((sku: string) => `sku:${sku}`)
  async raise(@Param('sku') _sku: string) {
    this.prices.price++;
    return { ok: true };
  }
}

describe.each(ADAPTERS)('a write during a cached GET (%s)', (adapter) => {
  let app: INestApplication;
  let prices: Prices;
  let server: never;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [PricesController],
      providers: [Prices],
    });
    prices = app.get(Prices);
    server = app.getHttpServer() as never;
  });

  afterEach(async () => {
    await app.close();
  });

  it('does not store the body the GET read before the write, and says so', async () => {
    prices.gate = deferred();
    const slow = request(server)
      .get('/prices/abc')
      .then((r) => r);
    await waitFor(() => prices.reads === 1);
    await request(server).post('/prices/abc/raise').expect(201);
    prices.gate.resolve();

    const overtaken = await slow;
    expect(overtaken.body).toEqual({ sku: 'abc', price: 10 });
    expect(overtaken.headers['cache-status']).toBe('hydracache; fwd=miss');
    expect(overtaken.headers['cache-control']).toBe('private');

    prices.gate = undefined;
    const next = await request(server).get('/prices/abc').expect(200);
    expect(next.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    expect(next.body).toEqual({ sku: 'abc', price: 11 });
  });
});
