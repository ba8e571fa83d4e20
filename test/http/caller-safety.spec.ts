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
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

/** Counts handler runs. */
@Injectable()
class Calls {
  count = 0;
}

/** The user a request names in its `user=` cookie, or `anonymous`. */
function userOf(cookie: string | string[] | undefined): string {
  const text = Array.isArray(cookie) ? cookie.join('; ') : (cookie ?? '');
  return /(?:^|;\s*)user=([^;]+)/.exec(text)?.[1] ?? 'anonymous';
}

@Controller('account')
@UseInterceptors(HydraCacheInterceptor)
class AccountController {
  constructor(private readonly calls: Calls) {}

  /** Reads the user from the cookie but declares nothing: the leak CacheInterceptor has. */
  @Get('undeclared')
  @CacheRoute({ ttl: 60_000, public: true })
  undeclared(@Headers('cookie') cookie?: string, @Headers('authorization') auth?: string) {
    this.calls.count++;
    return { user: auth ?? userOf(cookie) };
  }

  /** Declares how it varies per caller: cached per user. */
  @Get('profile')
  @CacheRoute({ ttl: 60_000, public: true, key: (req) => userOf(req.headers.cookie) })
  profile(@Headers('cookie') cookie?: string) {
    this.calls.count++;
    return { user: userOf(cookie) };
  }

  /** Varies by a request header, sent back in Vary. */
  @Get('greeting')
  @CacheRoute({ ttl: 60_000, vary: ['Accept-Language'] })
  greeting(@Headers('accept-language') lang?: string) {
    this.calls.count++;
    return { text: lang === 'fr' ? 'bonjour' : 'hello' };
  }
}

describe.each(ADAPTERS)('responses per caller (%s)', (adapter) => {
  let app: INestApplication;
  let calls: Calls;
  let server: never;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [AccountController],
      providers: [Calls],
    });
    calls = app.get(Calls);
    server = app.getHttpServer() as never;
  });

  afterEach(async () => {
    await app.close();
  });

  it('does not cache a request carrying a cookie the route does not declare', async () => {
    const alice = await request(server).get('/account/undeclared').set('Cookie', 'user=alice');
    expect(alice.headers['cache-status']).toBe('hydracache; fwd=bypass');
    expect(alice.headers['cache-control']).toBe('private');
    const bob = await request(server).get('/account/undeclared').set('Cookie', 'user=bob');
    expect(bob.body).toEqual({ user: 'bob' });
    expect(calls.count).toBe(2);
  });

  it('does not cache a request carrying Authorization the route does not declare', async () => {
    await request(server).get('/account/undeclared').set('Authorization', 'Bearer a').expect(200);
    const b = await request(server).get('/account/undeclared').set('Authorization', 'Bearer b');
    expect(b.body).toEqual({ user: 'Bearer b' });
    expect(calls.count).toBe(2);
  });

  it('never serves an anonymous entry to a caller with credentials', async () => {
    await request(server).get('/account/undeclared').expect(200);
    const alice = await request(server).get('/account/undeclared').set('Cookie', 'user=alice');
    expect(alice.body).toEqual({ user: 'alice' });
  });

  it("caches per user when the route declares a key, never serving A's body to B", async () => {
    const a1 = await request(server).get('/account/profile').set('Cookie', 'user=alice');
    const b1 = await request(server).get('/account/profile').set('Cookie', 'user=bob');
    const a2 = await request(server).get('/account/profile').set('Cookie', 'user=alice');
    const b2 = await request(server).get('/account/profile').set('Cookie', 'user=bob');
    expect([a1.body, a2.body]).toEqual([{ user: 'alice' }, { user: 'alice' }]);
    expect([b1.body, b2.body]).toEqual([{ user: 'bob' }, { user: 'bob' }]);
    expect(a2.headers['cache-status']).toBe('hydracache; hit');
    expect(b2.headers['cache-status']).toBe('hydracache; hit');
    // Keyed per caller: a shared cache must not store it, whatever `public` says.
    expect(a2.headers['cache-control']).toBe('private');
    expect(calls.count).toBe(2);
  });

  it('keys on the vary headers and sends them back in Vary', async () => {
    const en = await request(server).get('/account/greeting').set('Accept-Language', 'en');
    const fr = await request(server).get('/account/greeting').set('Accept-Language', 'fr');
    const fr2 = await request(server).get('/account/greeting').set('Accept-Language', 'fr');
    expect([en.body.text, fr.body.text, fr2.body.text]).toEqual(['hello', 'bonjour', 'bonjour']);
    expect(fr2.headers['vary']).toMatch(/accept-language/i);
    expect(fr2.headers['cache-status']).toBe('hydracache; hit');
    expect(calls.count).toBe(2);
  });
});
