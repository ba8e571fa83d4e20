import 'reflect-metadata';
import {
  Controller,
  Get,
  Header,
  Injectable,
  NotFoundException,
  Param,
  Query,
  Res,
  StreamableFile,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { HydraCache, HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { ADAPTERS, startHttpApp, waitFor } from './support/http-app.js';

/** Counts handler runs; `gate` holds the product handler open until the test opens it. */
@Injectable()
class Calls {
  count = 0;
  gate: Deferred<void> | undefined;
}

@Controller('products')
@UseInterceptors(HydraCacheInterceptor)
class ProductsController {
  constructor(private readonly calls: Calls) {}

  @Get('missing')
  @CacheRoute({ ttl: 60_000 })
  missing(): never {
    this.calls.count++;
    throw new NotFoundException('no such product');
  }

  @Get('cookie')
  @CacheRoute({ ttl: 60_000 })
  setsCookie(@Res({ passthrough: true }) res: { header(n: string, v: string): void }) {
    this.calls.count++;
    res.header('Set-Cookie', 'seen=1');
    return { calls: this.calls.count };
  }

  @Get('file')
  @CacheRoute({ ttl: 60_000 })
  file(): StreamableFile {
    this.calls.count++;
    return new StreamableFile(Buffer.from('bytes'));
  }

  @Get('uncached')
  uncached() {
    this.calls.count++;
    return { calls: this.calls.count };
  }

  @Get('own-cache-control')
  @CacheRoute({ ttl: 60_000, public: true })
  @Header('Cache-Control', 'no-transform')
  ownCacheControl() {
    this.calls.count++;
    return { ok: true };
  }

  @Get(':id')
  @CacheRoute({ ttl: 60_000, public: true, tags: (req) => `product:${req.params!.id}` })
  async findOne(@Param('id') id: string, @Query('fields') fields?: string) {
    this.calls.count++;
    await this.calls.gate?.promise;
    return { id, fields: fields ?? null, calls: this.calls.count };
  }
}

describe.each(ADAPTERS)('response cache over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let calls: Calls;
  let server: unknown;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [ProductsController],
      providers: [Calls],
    });
    calls = app.get(Calls);
    server = app.getHttpServer();
  });

  afterEach(async () => {
    await app.close();
  });

  const get = (path: string) => request(server as never).get(path);

  it('runs the handler once for concurrent identical GETs and tells joiners they collapsed', async () => {
    const N = 6;
    calls.gate = deferred();
    const cache = app.get(HydraCache);
    const responses = Promise.all(Array.from({ length: N }, () => get('/products/7')));
    // Requests arrive over real sockets: wait until all but the first have joined its load.
    await waitFor(() => cache.stats().singleFlightJoins === N - 1);
    expect(calls.count).toBe(1);
    calls.gate.resolve();

    const results = await responses;
    expect(calls.count).toBe(1);
    const statuses = results.map((r) => r.headers['cache-status']).sort();
    expect(statuses).toEqual([
      ...Array(N - 1).fill('hydracache; fwd=miss; collapsed'),
      'hydracache; fwd=miss; stored',
    ]);
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: '7', fields: null, calls: 1 });
      expect(r.headers['x-cache']).toBe('MISS');
    }
  });

  it('sends exact caching headers on a miss, then on a hit', async () => {
    const miss = await get('/products/1').expect(200);
    expect(miss.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['cache-control']).toBe('public, max-age=60');
    expect(miss.headers['age']).toBe('0');
    expect(miss.headers['etag']).toMatch(/^"[\w-]{32}"$/);

    const hit = await get('/products/1').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['cache-control']).toBe('public, max-age=60');
    expect(hit.headers['etag']).toBe(miss.headers['etag']);
    expect(Number(hit.headers['age'])).toBeGreaterThanOrEqual(0);
    expect(hit.body).toEqual(miss.body);
    expect(calls.count).toBe(1);
  });

  it('keeps a Cache-Control the route sets itself', async () => {
    const res = await get('/products/own-cache-control').expect(200);
    expect(res.headers['cache-control']).toBe('no-transform');
  });

  it('keys on the sorted query: reordered parameters hit, other values miss', async () => {
    await get('/products/2?fields=a&lang=en').expect(200);
    const reordered = await get('/products/2?lang=en&fields=a').expect(200);
    expect(reordered.headers['cache-status']).toBe('hydracache; hit');
    const other = await get('/products/2?fields=b&lang=en').expect(200);
    expect(other.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    expect(other.body.fields).toBe('b');
    expect(calls.count).toBe(2);
  });

  it('answers a matching If-None-Match with an empty 304 without running the handler', async () => {
    const first = await get('/products/3').expect(200);
    const etag = first.headers['etag'] as string;

    const revalidated = await get('/products/3').set('If-None-Match', etag).expect(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers['etag']).toBe(etag);
    expect(revalidated.headers['cache-status']).toBe('hydracache; hit');
    expect(calls.count).toBe(1);

    const weak = await get('/products/3').set('If-None-Match', `"other", W/${etag}`);
    expect(weak.status).toBe(304);
    const stale = await get('/products/3').set('If-None-Match', '"other"').expect(200);
    expect(stale.body).toEqual(first.body);
    expect(calls.count).toBe(1);
  });

  it('answers HEAD from the entry GET stored', async () => {
    await get('/products/4').expect(200);
    const head = await request(server as never)
      .head('/products/4')
      .expect(200);
    expect(head.headers['cache-status']).toBe('hydracache; hit');
    expect(calls.count).toBe(1);
  });

  it('never caches errors: the handler runs for every request', async () => {
    await get('/products/missing').expect(404);
    const again = await get('/products/missing').expect(404);
    expect(again.headers['cache-status']).toBeUndefined();
    expect(calls.count).toBe(2);
  });

  it('never caches a response that sets a cookie', async () => {
    await get('/products/cookie').expect(200);
    const again = await get('/products/cookie').expect(200);
    expect(again.headers['cache-status']).toBe('hydracache; fwd=miss');
    expect(again.headers['cache-control']).toBe('private');
    expect(again.body).toEqual({ calls: 2 });
  });

  it('never caches a StreamableFile', async () => {
    await get('/products/file').expect(200);
    const again = await get('/products/file').expect(200);
    expect(again.headers['cache-status']).toBe('hydracache; fwd=miss');
    expect(calls.count).toBe(2);
  });

  it('leaves routes without @CacheRoute alone', async () => {
    const res = await get('/products/uncached').expect(200);
    expect(res.headers['cache-status']).toBeUndefined();
    await get('/products/uncached').expect(200);
    expect(calls.count).toBe(2);
  });
});
