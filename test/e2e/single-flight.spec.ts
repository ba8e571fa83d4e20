import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Param,
  ParseIntPipe,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { Cached, HydraCache, HydraCacheModule } from '../../lib/index.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { countdown, startApp, type Countdown } from '../support/nest-app.js';

interface Product {
  id: number;
  name: string;
  stock: number[];
}

/** The slow dependency: each call waits on `gate`, which the test opens. */
@Injectable()
class ProductsRepository {
  calls = 0;
  gate: Deferred<void> = deferred();

  async find(id: number): Promise<Product> {
    this.calls++;
    await this.gate.promise;
    return { id, name: `product ${id}`, stock: [3, 1, 4] };
  }
}

@Injectable()
class ProductsService {
  constructor(private readonly repository: ProductsRepository) {}

  @Cached({ key: (id: number) => `product:${id}` })
  async findOne(id: number): Promise<Product> {
    return this.repository.find(id);
  }
}

/** Counts requests that have reached the cache, so the test knows when all are waiting. */
@Injectable()
class Arrivals {
  counter: Countdown | undefined;
}

@Controller('products')
class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly arrivals: Arrivals,
  ) {}

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number): Promise<Product> {
    // The cached call registers with the cache synchronously; count it once it has.
    const product = this.products.findOne(id);
    this.arrivals.counter?.tick();
    return product;
  }
}

describe('e2e: single-flight of concurrent requests', () => {
  const N = 8;
  let app: INestApplication;
  let repository: ProductsRepository;
  let arrivals: Arrivals;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [ProductsController],
      providers: [ProductsService, ProductsRepository, Arrivals],
    });
    repository = app.get(ProductsRepository);
    arrivals = app.get(Arrivals);
  });

  afterEach(async () => {
    await app.close();
  });

  it(`calls the repository once for ${N} concurrent requests and gives all the same answer`, async () => {
    const arrived = (arrivals.counter = countdown(N));
    const server = app.getHttpServer();
    const responses = Promise.all(
      Array.from({ length: N }, () => request(server).get('/products/7')),
    );

    await arrived.reached;
    // Every request is now waiting on the one load held open by the repository.
    expect(repository.calls).toBe(1);
    expect(app.get(HydraCache).stats()).toMatchObject({ loads: 1, singleFlightJoins: N - 1 });
    repository.gate.resolve();

    const results = await responses;
    for (const response of results) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: 7, name: 'product 7', stock: [3, 1, 4] });
    }
    expect(repository.calls).toBe(1);

    // Later requests are plain hits.
    await request(server).get('/products/7').expect(200);
    expect(repository.calls).toBe(1);
  });

  it('runs one load per key when concurrent requests ask for different ids', async () => {
    const arrived = (arrivals.counter = countdown(6));
    const server = app.getHttpServer();
    const ids = [1, 2, 1, 2, 3, 1];
    const responses = Promise.all(ids.map((id) => request(server).get(`/products/${id}`)));

    await arrived.reached;
    expect(repository.calls).toBe(3);
    repository.gate.resolve();

    const results = await responses;
    expect(results.map((r) => r.body.id)).toEqual(ids);
    expect(repository.calls).toBe(3);
  });

  it('shares a failure with every waiting request, then loads afresh', async () => {
    const arrived = (arrivals.counter = countdown(4));
    const server = app.getHttpServer();
    const responses = Promise.all(
      Array.from({ length: 4 }, () => request(server).get('/products/9')),
    );
    await arrived.reached;
    repository.gate.reject(new Error('database down'));

    for (const response of await responses) expect(response.status).toBe(500);
    expect(repository.calls).toBe(1);

    repository.gate = deferred();
    repository.gate.resolve();
    await request(server).get('/products/9').expect(200);
    expect(repository.calls).toBe(2);
  });
});
