import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Controller, Get, Logger, Param, UseInterceptors } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { ADAPTERS, startHttpApp } from './support/http-app.js';

@Controller('products')
@UseInterceptors(HydraCacheInterceptor)
class ProductsController {
  calls = 0;

  @Get(':id')
  @CacheRoute({ ttl: 60_000 })
  findOne(@Param('id') id: string) {
    this.calls++;
    return { id, calls: this.calls };
  }
}

describe('a controller unit test without HydraCacheModule', () => {
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
  });

  it('compiles, and the controller answers with its mocks', async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ProductsController],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(ProductsController).findOne('7')).toEqual({ id: '7', calls: 1 });
    await moduleRef.close();
  });

  it('compiles with the interceptor as APP_INTERCEPTOR', async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ProductsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: HydraCacheInterceptor }],
    }).compile();
    await moduleRef.close();
  });

  it.each(ADAPTERS)('serves routes uncached over HTTP after one warning (%s)', async (adapter) => {
    const app = await startHttpApp(adapter, { controllers: [ProductsController] });
    const server = app.getHttpServer() as never;
    const first = await request(server).get('/products/1').expect(200);
    const second = await request(server).get('/products/1').expect(200);
    expect(first.headers['cache-status']).toBeUndefined();
    expect(second.body).toEqual({ id: '1', calls: 2 });
    const warnings = warn.mock.calls.filter(([message]) => /No HydraCache/.test(String(message)));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toContain('HydraCacheModule.forRoot()');
    await app.close();
  });
});
