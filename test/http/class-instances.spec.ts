import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  ClassSerializerInterceptor,
  Controller,
  Get,
  Injectable,
  Logger,
  Param,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Exclude } from 'class-transformer';
import { tap, type Observable } from 'rxjs';
import request from 'supertest';
import { CborCodec, HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

/** An entity as TypeORM hands it out: a class instance with a field to hide. */
class User {
  id!: string;
  name!: string;
  @Exclude()
  passwordHash!: string;

  constructor(fields: Partial<User>) {
    Object.assign(this, fields);
  }
}

/** Counts handler runs and records what reached the outermost interceptor. */
@Injectable()
class Seen {
  handler = 0;
  bodies: unknown[] = [];
}

/** Records the body it sees: between the serializer and the cache, a User on a hit too. */
@Injectable()
class RecordBody implements NestInterceptor {
  constructor(private readonly seen: Seen) {}
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(tap((body) => this.seen.bodies.push(body)));
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly seen: Seen) {}

  /** The serializer outside the cache: a hit hands it a User instance again. */
  @Get(':id/outer')
  @UseInterceptors(ClassSerializerInterceptor, RecordBody, HydraCacheInterceptor)
  @CacheRoute({ ttl: 60_000 })
  outer(@Param('id') id: string): User {
    this.seen.handler++;
    return new User({ id, name: 'ada', passwordHash: 'h4sh' });
  }

  /** The serializer inside the cache: the cache stores the serialized body's bytes. */
  @Get(':id/inner')
  @UseInterceptors(HydraCacheInterceptor, ClassSerializerInterceptor)
  @CacheRoute({ ttl: 60_000 })
  inner(@Param('id') id: string): User {
    this.seen.handler++;
    return new User({ id, name: 'ada', passwordHash: 'h4sh' });
  }

  /** No serializer at all: the entity is sent as JSON, and cached. */
  @Get(':id/plain')
  @UseInterceptors(HydraCacheInterceptor)
  @CacheRoute({ ttl: 60_000 })
  plain(@Param('id') id: string): User[] {
    this.seen.handler++;
    return [new User({ id, name: 'ada' })];
  }
}

/** The ETag of the bytes a response carried. */
function tagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

describe.each(ADAPTERS)('class instances and ClassSerializerInterceptor (%s)', (adapter) => {
  let app: INestApplication;
  let seen: Seen;
  let server: never;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [UsersController],
      providers: [Seen],
    });
    seen = app.get(Seen);
    server = app.getHttpServer() as never;
  });

  afterEach(async () => {
    await app.close();
  });

  it.each(['outer', 'inner'])(
    'caches an entity with the serializer %s, never sending @Exclude fields',
    async (order) => {
      const miss = await request(server).get(`/users/1/${order}`).expect(200);
      const hit = await request(server).get(`/users/1/${order}`).expect(200);
      expect(miss.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
      expect(hit.headers['cache-status']).toBe('hydracache; hit');
      expect(miss.body).toEqual({ id: '1', name: 'ada' });
      expect(hit.body).toEqual({ id: '1', name: 'ada' });
      expect(hit.text).toBe(miss.text);
      expect(seen.handler).toBe(1);
    },
  );

  it('hands the outer serializer a class instance on a hit', async () => {
    await request(server).get('/users/1/outer').expect(200);
    await request(server).get('/users/1/outer').expect(200);
    expect(seen.bodies).toHaveLength(2);
    for (const body of seen.bodies) expect(body).toBeInstanceOf(User);
    expect(seen.bodies[1]).toEqual(seen.bodies[0]);
  });

  it.each(['outer', 'inner', 'plain'])(
    'sends the ETag of the bytes sent, and answers it with 304 (serializer %s)',
    async (order) => {
      const miss = await request(server).get(`/users/2/${order}`).expect(200);
      const etag = miss.headers['etag'] as string;
      expect(etag).toBe(tagOf(miss.text));
      const hit = await request(server).get(`/users/2/${order}`).expect(200);
      expect(hit.headers['etag']).toBe(etag);
      const revalidated = await request(server)
        .get(`/users/2/${order}`)
        .set('If-None-Match', etag)
        .expect(304);
      expect(revalidated.text).toBe('');
      expect(seen.handler).toBe(1);
    },
  );

  it('caches a route returning entities without any serializer', async () => {
    await request(server).get('/users/3/plain').expect(200);
    const hit = await request(server).get('/users/3/plain').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(hit.body).toEqual([{ id: '3', name: 'ada' }]);
  });
});

describe.each(ADAPTERS)('ClassSerializerInterceptor as APP_INTERCEPTOR (%s)', (adapter) => {
  it('applies the global serializer on every hit of a controller-level cache', async () => {
    @Controller('accounts')
    @UseInterceptors(HydraCacheInterceptor)
    class AccountsController {
      calls = 0;
      @Get(':id')
      @CacheRoute({ ttl: 60_000 })
      find(@Param('id') id: string): User {
        this.calls++;
        return new User({ id, name: 'grace', passwordHash: 'h4sh' });
      }
    }
    const app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [AccountsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: ClassSerializerInterceptor }],
    });
    const server = app.getHttpServer() as never;
    await request(server).get('/accounts/1').expect(200);
    const hit = await request(server).get('/accounts/1').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(hit.body).toEqual({ id: '1', name: 'grace' });
    expect(app.get(AccountsController).calls).toBe(1);
    await app.close();
  });
});

describe.each(ADAPTERS)('a codec that does not keep classes (%s)', (adapter) => {
  it('serves the route uncached rather than hand the serializer a plain object', async () => {
    @Controller('secrets')
    class SecretsController {
      calls = 0;
      @Get(':id')
      @UseInterceptors(ClassSerializerInterceptor, HydraCacheInterceptor)
      @CacheRoute({ ttl: 60_000 })
      find(@Param('id') id: string): User {
        this.calls++;
        return new User({ id, name: 'ada', passwordHash: 'h4sh' });
      }
    }
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot({ codec: new CborCodec() })],
      controllers: [SecretsController],
    });
    const server = app.getHttpServer() as never;
    await request(server).get('/secrets/1').expect(200);
    const second = await request(server).get('/secrets/1').expect(200);
    expect(second.body).toEqual({ id: '1', name: 'ada' });
    expect(second.headers['cache-status']).toBe('hydracache; fwd=miss');
    expect(app.get(SecretsController).calls).toBe(2);
    expect(warn.mock.calls.some(([m]) => /does not keep/.test(String(m)))).toBe(true);
    warn.mockRestore();
    await app.close();
  });
});
