import 'reflect-metadata';
import {
  Controller,
  Get,
  Headers,
  Injectable,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheHttpModule, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

@Injectable()
class Calls {
  count = 0;
}

/** A multi-tenant page: each host is a tenant; the handler echoes the host into the body. */
@Controller('tenant')
@UseInterceptors(HydraCacheInterceptor)
class TenantController {
  constructor(private readonly calls: Calls) {}

  @Get('home')
  @CacheRoute({ ttl: 60_000 })
  home(@Headers('host') host: string) {
    this.calls.count++;
    return { canonical: `https://${host}/home` };
  }

  /** Declared the same for every host. */
  @Get('shared')
  @CacheRoute({ ttl: 60_000, varyByHost: false })
  shared() {
    return { calls: ++this.calls.count };
  }

  /** Keyed by host again although the module turns it off. */
  @Get('own')
  @CacheRoute({ ttl: 60_000, varyByHost: true })
  own(@Headers('host') host: string) {
    this.calls.count++;
    return { host };
  }
}

describe.each(ADAPTERS)('responses keyed by host (%s)', (adapter) => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(moduleWide?: { varyByHost: boolean }) {
    app = await startHttpApp(adapter, {
      imports: [
        HydraCacheModule.forRoot(),
        ...(moduleWide === undefined ? [] : [HydraCacheHttpModule.forRoot(moduleWide)]),
      ],
      controllers: [TenantController],
      providers: [Calls],
    });
    return { server: app.getHttpServer() as never, calls: app.get(Calls) };
  }

  it("never serves one host's page to another, so Host: evil cannot poison it", async () => {
    const { server, calls } = await start();
    const evil = await request(server).get('/tenant/home').set('Host', 'evil.example');
    expect(evil.body).toEqual({ canonical: 'https://evil.example/home' });
    const acme = await request(server).get('/tenant/home').set('Host', 'acme.example');
    expect(acme.body).toEqual({ canonical: 'https://acme.example/home' });
    expect(acme.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    const again = await request(server).get('/tenant/home').set('Host', 'ACME.example');
    expect(again.headers['cache-status']).toBe('hydracache; hit');
    expect(again.body).toEqual({ canonical: 'https://acme.example/home' });
    expect(calls.count).toBe(2);
  });

  it('shares one entry across hosts on a route declaring varyByHost: false', async () => {
    const { server } = await start();
    await request(server).get('/tenant/shared').set('Host', 'a.example').expect(200);
    const b = await request(server).get('/tenant/shared').set('Host', 'b.example');
    expect(b.headers['cache-status']).toBe('hydracache; hit');
    expect(b.body).toEqual({ calls: 1 });
  });

  it('takes varyByHost: false module-wide, and a route may turn it back on', async () => {
    const { server } = await start({ varyByHost: false });
    await request(server).get('/tenant/home').set('Host', 'a.example').expect(200);
    const b = await request(server).get('/tenant/home').set('Host', 'b.example');
    expect(b.headers['cache-status']).toBe('hydracache; hit');
    await request(server).get('/tenant/own').set('Host', 'a.example').expect(200);
    const own = await request(server).get('/tenant/own').set('Host', 'b.example');
    expect(own.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    expect(own.body).toEqual({ host: 'b.example' });
  });
});
