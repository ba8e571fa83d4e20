import 'reflect-metadata';
import {
  Body,
  CanActivate,
  ClassSerializerInterceptor,
  ConflictException,
  Controller,
  Get,
  Injectable,
  Param,
  Patch,
  UseGuards,
  UseInterceptors,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Exclude } from 'class-transformer';
import request from 'supertest';
import { HydraCacheModule, InvalidateTags } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

/** Counts handler and guard runs; the store the handlers read and write. */
@Injectable()
class Calls {
  handler = 0;
  guard = 0;
  names = new Map<string, string>([['1', 'ada']]);
}

/** Lets a request through unless it says `x-deny`; counts every run. */
@Injectable()
class DenyGuard implements CanActivate {
  constructor(private readonly calls: Calls) {}
  canActivate(context: ExecutionContext): boolean {
    this.calls.guard++;
    return context.switchToHttp().getRequest().headers['x-deny'] === undefined;
  }
}

class UserDto {
  id!: string;
  name!: string;
  @Exclude()
  password!: string;

  constructor(fields: UserDto) {
    Object.assign(this, fields);
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly calls: Calls) {}

  /** The documented order: the cache outside the serializer caches the serialized body. */
  @Get(':id')
  @UseGuards(DenyGuard)
  @UseInterceptors(HydraCacheInterceptor, ClassSerializerInterceptor)
  @CacheRoute({ ttl: 60_000, tags: (req) => `user:${req.params!.id}`, tagHeader: 'Surrogate-Key' })
  async findOne(@Param('id') id: string): Promise<UserDto> {
    this.calls.handler++;
    return new UserDto({ id, name: this.calls.names.get(id) ?? '?', password: 'secret' });
  }

  /** The other order: the cache inside the serializer stores the instance, which it serializes. */
  @Get(':id/inner')
  @UseInterceptors(ClassSerializerInterceptor, HydraCacheInterceptor)
  @CacheRoute({ ttl: 60_000 })
  async findInner(@Param('id') id: string): Promise<UserDto> {
    this.calls.handler++;
    return new UserDto({ id, name: 'ada', password: 'secret' });
  }

  @Patch(':id')
  @InvalidateTags((id: string) => `user:${id}`)
  async rename(@Param('id') id: string, @Body() body: { name: string }): Promise<{ ok: true }> {
    if (body.name === '') throw new ConflictException('name required');
    this.calls.names.set(id, body.name);
    return { ok: true };
  }
}

describe.each(ADAPTERS)('composition with guards, serializer and writes (%s)', (adapter) => {
  let app: INestApplication;
  let calls: Calls;
  let server: never;

  beforeEach(async () => {
    app = await startHttpApp(adapter, {
      imports: [HydraCacheModule.forRoot()],
      controllers: [UsersController],
      providers: [Calls, DenyGuard],
    });
    calls = app.get(Calls);
    server = app.getHttpServer() as never;
  });

  afterEach(async () => {
    await app.close();
  });

  it('runs the guard before a cached response is served', async () => {
    await request(server).get('/users/1').expect(200);
    const hit = await request(server).get('/users/1').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    await request(server).get('/users/1').set('x-deny', '1').expect(403);
    expect(calls.guard).toBe(3);
    expect(calls.handler).toBe(1);
  });

  it('omits @Exclude fields on the miss and on the hit', async () => {
    const miss = await request(server).get('/users/1').expect(200);
    const hit = await request(server).get('/users/1').expect(200);
    expect(hit.headers['cache-status']).toBe('hydracache; hit');
    expect(miss.body).toEqual({ id: '1', name: 'ada' });
    expect(hit.body).toEqual({ id: '1', name: 'ada' });
  });

  it('caches inside the serializer too, and still leaks no field', async () => {
    const first = await request(server).get('/users/1/inner').expect(200);
    const second = await request(server).get('/users/1/inner').expect(200);
    expect(second.headers['cache-status']).toBe('hydracache; hit');
    expect([first.body, second.body]).toEqual([
      { id: '1', name: 'ada' },
      { id: '1', name: 'ada' },
    ]);
    expect(calls.handler).toBe(1);
  });

  it('sends the entry tags in Surrogate-Key', async () => {
    const res = await request(server).get('/users/1').expect(200);
    expect(res.headers['surrogate-key']).toBe('user:1');
  });

  it('invalidates the cached GET after a successful PATCH', async () => {
    await request(server).get('/users/1').expect(200);
    await request(server).patch('/users/1').send({ name: 'grace' }).expect(200);
    const after = await request(server).get('/users/1').expect(200);
    expect(after.headers['cache-status']).toBe('hydracache; fwd=miss; stored');
    expect(after.body).toEqual({ id: '1', name: 'grace' });
  });

  it('invalidates nothing when the PATCH fails', async () => {
    await request(server).get('/users/1').expect(200);
    await request(server).patch('/users/1').send({ name: '' }).expect(409);
    const after = await request(server).get('/users/1').expect(200);
    expect(after.headers['cache-status']).toBe('hydracache; hit');
    expect(calls.handler).toBe(1);
  });
});
