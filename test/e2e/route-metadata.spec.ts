import 'reflect-metadata';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Injectable,
  Post,
  SetMetadata,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import request from 'supertest';
import { Cached, HydraCacheModule, InvalidateKeys } from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

const Roles = (...roles: string[]) => SetMetadata('roles', roles);

/** Class-level guard that reads the handler's custom metadata; missing metadata is a distinct 403. */
@Injectable()
class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[] | undefined>('roles', context.getHandler());
    if (roles === undefined) throw new ForbiddenException('roles metadata missing');
    const role = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers[
      'x-role'
    ];
    return roles.includes(role);
  }
}

/** Method-level interceptor: proves `@UseInterceptors` metadata survives as well. */
@Injectable()
class StampInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    context.switchToHttp().getResponse<ServerResponse>().setHeader('X-Intercepted', 'yes');
    return next.handle();
  }
}

@Controller('meta')
@UseGuards(RolesGuard)
class MetaController {
  readonly calls = { getInner: 0, getOuter: 0, postInner: 0, postOuter: 0 };

  // @Cached listed first: it is applied last and wraps a method that already carries metadata.
  @Cached({ key: 'get-inner' })
  @Get('inner')
  @HttpCode(203)
  @Header('X-Order', 'cached-first')
  @Roles('reader')
  @UseInterceptors(StampInterceptor)
  async getInner(): Promise<object> {
    return { handler: 'getInner', call: ++this.calls.getInner };
  }

  // @Cached listed last: it is applied first, the Nest decorators then mark its wrapper.
  @Get('outer')
  @HttpCode(203)
  @Header('X-Order', 'cached-last')
  @Roles('reader')
  @UseInterceptors(StampInterceptor)
  @Cached({ key: 'get-outer' })
  async getOuter(): Promise<object> {
    return { handler: 'getOuter', call: ++this.calls.getOuter };
  }

  @Cached({ key: (body: { n: number }) => `post-inner:${body.n}` })
  @Post('inner')
  @HttpCode(202)
  @Header('X-Order', 'cached-first')
  @Roles('writer')
  async postInner(@Body() body: { n: number }): Promise<object> {
    return { handler: 'postInner', n: body.n, call: ++this.calls.postInner };
  }

  @Post('outer')
  @HttpCode(202)
  @Header('X-Order', 'cached-last')
  @Roles('writer')
  @Cached({ key: (body: { n: number }) => `post-outer:${body.n}` })
  async postOuter(@Body() body: { n: number }): Promise<object> {
    return { handler: 'postOuter', n: body.n, call: ++this.calls.postOuter };
  }

  @Post('reset')
  @HttpCode(200)
  @Roles('writer')
  @InvalidateKeys(['get-inner', 'get-outer'])
  async reset(): Promise<object> {
    return { reset: true };
  }
}

describe('e2e: route metadata survives @Cached in either decorator order', () => {
  let app: INestApplication;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [MetaController],
      providers: [RolesGuard, StampInterceptor],
    });
  });

  afterEach(async () => {
    await app.close();
  });

  describe.each([
    ['@Cached listed first', 'inner', 'getInner', 'cached-first'],
    ['@Cached listed last', 'outer', 'getOuter', 'cached-last'],
  ] as const)('@Get, %s', (_label, path, handler, order) => {
    it('keeps the route, @HttpCode, @Header, @UseInterceptors and custom metadata', async () => {
      const response = await request(app.getHttpServer())
        .get(`/meta/${path}`)
        .set('X-Role', 'reader')
        .expect(203);
      expect(response.headers['x-order']).toBe(order);
      expect(response.headers['x-intercepted']).toBe('yes');
      expect(response.body).toEqual({ handler, call: 1 });
    });

    it('still caches, and the guard still sees the roles', async () => {
      const server = app.getHttpServer();
      await request(server).get(`/meta/${path}`).set('X-Role', 'reader').expect(203);
      await request(server)
        .get(`/meta/${path}`)
        .set('X-Role', 'reader')
        .expect(203, { handler, call: 1 });
      const denied = await request(server).get(`/meta/${path}`).set('X-Role', 'guest').expect(403);
      expect(denied.body.message).toBe('Forbidden resource');
      expect(app.get(MetaController).calls[handler]).toBe(1);
    });
  });

  describe.each([
    ['@Cached listed first', 'inner', 'postInner', 'cached-first'],
    ['@Cached listed last', 'outer', 'postOuter', 'cached-last'],
  ] as const)('@Post, %s', (_label, path, handler, order) => {
    it('keeps the route, @HttpCode, @Header and custom metadata, and caches by body', async () => {
      const server = app.getHttpServer();
      const first = await request(server)
        .post(`/meta/${path}`)
        .set('X-Role', 'writer')
        .send({ n: 1 })
        .expect(202);
      expect(first.headers['x-order']).toBe(order);
      expect(first.body).toEqual({ handler, n: 1, call: 1 });

      await request(server)
        .post(`/meta/${path}`)
        .set('X-Role', 'writer')
        .send({ n: 1 })
        .expect(202, { handler, n: 1, call: 1 });
      await request(server)
        .post(`/meta/${path}`)
        .set('X-Role', 'writer')
        .send({ n: 2 })
        .expect(202, { handler, n: 2, call: 2 });
      await request(server)
        .post(`/meta/${path}`)
        .set('X-Role', 'reader')
        .send({ n: 1 })
        .expect(403);
    });
  });

  it('keeps metadata on an @InvalidateKeys route handler', async () => {
    const server = app.getHttpServer();
    await request(server).get('/meta/inner').set('X-Role', 'reader').expect(203);
    await request(server).post('/meta/reset').set('X-Role', 'writer').expect(200, { reset: true });
    await request(server)
      .get('/meta/inner')
      .set('X-Role', 'reader')
      .expect(203, { handler: 'getInner', call: 2 });
    await request(server).post('/meta/reset').set('X-Role', 'reader').expect(403);
  });
});
