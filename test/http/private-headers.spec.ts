import 'reflect-metadata';
import {
  Controller,
  Get,
  Headers,
  Injectable,
  Req,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { HydraCacheModule } from '../../lib/index.js';
import {
  CacheRoute,
  HydraCacheHttpModule,
  HydraCacheInterceptor,
  type HttpCacheOptions,
} from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

@Injectable()
class Calls {
  count = 0;
}

@Controller('keys')
@UseInterceptors(HydraCacheInterceptor)
class KeysController {
  constructor(private readonly calls: Calls) {}

  /** Answers per API key without declaring it: the leak a key that ignores X-Api-Key has. */
  @Get('undeclared')
  @CacheRoute({ ttl: 60_000 })
  undeclared(@Headers('x-api-key') apiKey?: string, @Headers('x-tenant') tenant?: string) {
    this.calls.count++;
    return { owner: apiKey ?? tenant ?? 'anonymous' };
  }

  /** Declares its own private header. */
  @Get('tenant')
  @CacheRoute({ ttl: 60_000, privateHeaders: ['X-Tenant'] })
  tenant(@Headers('x-tenant') tenant?: string) {
    this.calls.count++;
    return { owner: tenant ?? 'anonymous' };
  }

  /** Varies by the API key: cached per key. */
  @Get('per-key')
  @CacheRoute({ ttl: 60_000, vary: ['X-Api-Key'] })
  perKey(@Headers('x-api-key') apiKey?: string) {
    this.calls.count++;
    return { owner: apiKey ?? 'anonymous' };
  }

  /** Fastify hands out `req.query` as an object with a null-prototype prototype. */
  @Get('echo-query')
  @CacheRoute({ ttl: 60_000 })
  echoQuery(@Req() req: { query: unknown }) {
    this.calls.count++;
    return req.query;
  }
}

describe.each(ADAPTERS)('private and vary headers (%s)', (adapter) => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(moduleWide?: HttpCacheOptions) {
    app = await startHttpApp(adapter, {
      imports: [
        HydraCacheModule.forRoot(),
        ...(moduleWide === undefined ? [] : [HydraCacheHttpModule.forRoot(moduleWide)]),
      ],
      controllers: [KeysController],
      providers: [Calls],
    });
    return { server: app.getHttpServer() as never, calls: app.get(Calls) };
  }

  it("does not serve one X-Api-Key's body to another", async () => {
    const { server, calls } = await start();
    const a = await request(server).get('/keys/undeclared').set('X-Api-Key', 'alice');
    expect(a.headers['cache-status']).toBe('hydracache; fwd=bypass');
    const b = await request(server).get('/keys/undeclared').set('X-Api-Key', 'bob');
    expect(b.body).toEqual({ owner: 'bob' });
    expect(calls.count).toBe(2);
  });

  it('bypasses on a private header the route declares', async () => {
    const { server } = await start();
    await request(server).get('/keys/tenant').set('X-Tenant', 'acme').expect(200);
    const other = await request(server).get('/keys/tenant').set('X-Tenant', 'globex');
    expect(other.headers['cache-status']).toBe('hydracache; fwd=bypass');
    expect(other.body).toEqual({ owner: 'globex' });
  });

  it('bypasses on a private header the module declares', async () => {
    const { server } = await start({ privateHeaders: ['X-Tenant'] });
    await request(server).get('/keys/undeclared').set('X-Tenant', 'acme').expect(200);
    const other = await request(server).get('/keys/undeclared').set('X-Tenant', 'globex');
    expect(other.headers['cache-status']).toBe('hydracache; fwd=bypass');
    expect(other.body).toEqual({ owner: 'globex' });
  });

  it('caches per value of a private header named in vary, keyed privately', async () => {
    const { server, calls } = await start();
    await request(server).get('/keys/per-key').set('X-Api-Key', 'alice').expect(200);
    const bob = await request(server).get('/keys/per-key').set('X-Api-Key', 'bob');
    const alice = await request(server).get('/keys/per-key').set('X-Api-Key', 'alice');
    expect([bob.body, alice.body]).toEqual([{ owner: 'bob' }, { owner: 'alice' }]);
    expect(alice.headers['cache-status']).toBe('hydracache; hit');
    expect(alice.headers['cache-control']).toBe('private');
    expect(alice.headers['vary']).toMatch(/x-api-key/i);
    expect(calls.count).toBe(2);
  });

  it('keys every route by the vary headers the module declares', async () => {
    const { server, calls } = await start({ vary: ['X-Tenant'], privateHeaders: ['X-Tenant'] });
    await request(server).get('/keys/undeclared').set('X-Tenant', 'acme').expect(200);
    const globex = await request(server).get('/keys/undeclared').set('X-Tenant', 'globex');
    const acme = await request(server).get('/keys/undeclared').set('X-Tenant', 'acme');
    expect([globex.body, acme.body]).toEqual([{ owner: 'globex' }, { owner: 'acme' }]);
    expect(acme.headers['cache-status']).toBe('hydracache; hit');
    expect(acme.headers['vary']).toMatch(/x-tenant/i);
    expect(calls.count).toBe(2);
  });

  it('stores a route that returns req.query', async () => {
    const { server, calls } = await start();
    await request(server).get('/keys/echo-query?a=1&b=2').expect(200);
    const hit = await request(server).get('/keys/echo-query?b=2&a=1');
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(hit.body).toEqual({ a: '1', b: '2' });
    expect(calls.count).toBe(1);
  });
});
