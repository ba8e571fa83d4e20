import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Inject, Injectable, type INestApplication } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CACHE_MANAGER as NEST_CACHE_MANAGER, CacheInterceptor } from '@nestjs/cache-manager';
import request from 'supertest';
import {
  CACHE_MANAGER,
  HydraCache,
  HydraCacheManager,
  HydraCacheManagerModule,
  HydraCacheModule,
  getHydraCacheToken,
} from '@hydracache/nestjs';
import { startApp } from '../../support/nest-app.js';

@Injectable()
class UsersService {
  loads = 0;
  constructor(@Inject(CACHE_MANAGER) readonly cacheManager: HydraCacheManager) {}

  user(id: number): Promise<{ id: number }> {
    return this.cacheManager.wrap(`user:${id}`, async () => {
      this.loads++;
      return { id };
    });
  }
}

@Controller('users')
class UsersController {
  calls = 0;
  @Get()
  list(): string[] {
    this.calls++;
    return ['ada', 'bob'];
  }
}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('HydraCacheManagerModule', () => {
  it('uses the token @nestjs/cache-manager injects', () => {
    expect(CACHE_MANAGER).toBe(NEST_CACHE_MANAGER);
  });

  it('provides CACHE_MANAGER over the default HydraCache', async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot(), HydraCacheManagerModule.forRoot({ ttl: 60_000 })],
      providers: [UsersService],
    });
    const users = app.get(UsersService);
    await users.user(1);
    await users.user(1);
    expect(users.loads).toBe(1);
    // The same entries the decorators and an injected HydraCache see.
    expect(await app.get(HydraCache).get('user:1')).toEqual({ id: 1 });
  });

  it('serves a named cache', async () => {
    app = await startApp({
      imports: [
        HydraCacheModule.forRoot(),
        HydraCacheModule.forRoot({ name: 'sessions' }),
        HydraCacheManagerModule.forRoot({ cache: 'sessions' }),
      ],
      providers: [UsersService],
    });
    await app.get(UsersService).user(2);
    const sessions = app.get<HydraCache>(getHydraCacheToken('sessions'));
    expect(await sessions.get('user:2')).toEqual({ id: 2 });
    expect(await app.get(HydraCache).get('user:2')).toBeUndefined();
  });

  it("keeps @nestjs/cache-manager's CacheInterceptor working", async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot(), HydraCacheManagerModule.forRoot()],
      controllers: [UsersController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: CacheInterceptor }],
    });
    await request(app.getHttpServer()).get('/users').expect(200, ['ada', 'bob']);
    await request(app.getHttpServer()).get('/users').expect(200, ['ada', 'bob']);
    expect(app.get(UsersController).calls).toBe(1);
  });

  it('rejects an unknown option at bootstrap', () => {
    expect(() => HydraCacheManagerModule.forRoot({ tll: 5 } as never)).toThrow(
      /Unknown option "tll"/,
    );
  });
});
