import 'reflect-metadata';
import {
  Controller,
  Get,
  Header,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import request from 'supertest';
import { HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

/** How often a Page was turned into JSON (outside the instances: a cached copy counts too). */
const counter = { count: 0 };

/** A body that counts its own serializations (JSON.stringify calls toJSON). */
class Page {
  constructor(readonly id: string) {}
  toJSON() {
    counter.count++;
    return { id: this.id, items: ['a', 'b'] };
  }
}

/** Does nothing to the body, but sits outside the cache. */
@Injectable()
class Passthrough implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

@Controller('pages')
class PagesController {
  @Get('outermost')
  @UseInterceptors(HydraCacheInterceptor)
  @CacheRoute({ ttl: 60_000 })
  outermost() {
    return new Page('outermost');
  }

  @Get('typed')
  @UseInterceptors(HydraCacheInterceptor)
  @CacheRoute({ ttl: 60_000 })
  @Header('Content-Type', 'application/vnd.api+json')
  typed() {
    return { data: { id: '1' } };
  }

  @Get('wrapped')
  @UseInterceptors(Passthrough, HydraCacheInterceptor)
  @CacheRoute({ ttl: 60_000 })
  wrapped() {
    return new Page('wrapped');
  }
}

describe.each(ADAPTERS)('hits served as the stored bytes (%s)', (adapter) => {
  let app: INestApplication;
  let server: never;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [PagesController],
      providers: [Passthrough],
    });
    counter.count = 0;
    server = app.getHttpServer() as never;
  });

  afterEach(async () => {
    await app.close();
  });

  it('serializes once when outermost: hits send the stored bytes as they are', async () => {
    const miss = await request(server).get('/pages/outermost').expect(200);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await request(server).get('/pages/outermost'));
    expect(counter.count).toBe(1);
    for (const hit of hits) {
      expect(hit.headers['cache-status']).toBe('hydracache; hit');
      expect(hit.text).toBe(miss.text);
      expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(hit.headers['content-length']).toBe(String(Buffer.byteLength(miss.text)));
    }
    expect(miss.body).toEqual({ id: 'outermost', items: ['a', 'b'] });
  });

  it('answers HEAD from the stored bytes without a body', async () => {
    const get = await request(server).get('/pages/outermost').expect(200);
    const head = await request(server).head('/pages/outermost').expect(200);
    expect(head.headers['cache-status']).toBe('hydracache; hit');
    expect(head.text ?? '').toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('keeps the content type the route sets', async () => {
    await request(server).get('/pages/typed').expect(200);
    const hit = await request(server).get('/pages/typed').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(hit.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
    expect(JSON.parse(hit.text)).toEqual({ data: { id: '1' } });
  });

  it('hands the value back when another interceptor runs outside it', async () => {
    await request(server).get('/pages/wrapped').expect(200);
    const hit = await request(server).get('/pages/wrapped').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(hit.body).toEqual({ id: 'wrapped', items: ['a', 'b'] });
    // Serialized again on the hit: the outer interceptor could have changed it.
    expect(counter.count).toBe(2);
  });
});
