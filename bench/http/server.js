/**
 * One benchmark server, in its own process: `node bench/http/server.js <variant>` with variant
 * `hydracache`, `cache-manager` or `none`. The same app shape for all three: an Express Nest app
 * with `GET /items/:id` (a catalogue page of 12 items, ~1 KB of JSON) and `GET /slow/:id` (the same after a
 * 20 ms "database" wait, for the stampede). Prints `port <n>` once listening; `GET /handler-runs`
 * reports how often each handler ran, `GET /cpu` the server's CPU time so far (process.cpuUsage). Imports the library from dist/ (run `npm run build` first).
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { HydraCacheModule } from '../../dist/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../dist/http/index.js';

const variant = process.argv[2];
const TTL = 600_000;
const runs = { items: 0, slow: 0 };

function page(id) {
  return {
    id,
    title: `catalogue page ${id}`,
    items: Array.from({ length: 12 }, (_, i) => ({
      sku: `sku-${id}-${i}`,
      name: `item ${i} of page ${id}`,
      price: 100 + i,
      tags: ['a', 'b', 'c'],
    })),
  };
}

class BenchController {
  items(id) {
    runs.items++;
    return page(id);
  }
  async slow(id) {
    runs.slow++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return page(id);
  }
}

/** Measurement endpoints, in a controller no cache interceptor applies to. */
class OpsController {
  handlerRuns() {
    return runs;
  }
  cpu() {
    return process.cpuUsage();
  }
}

/** Applies decorators without decorator syntax (this file is plain JavaScript). */
function route(name, path, cacheRoute, controller = BenchController) {
  const proto = controller.prototype;
  if (path.includes(':id')) Param('id')(proto, name, 0);
  const decorators = [Get(path)];
  if (cacheRoute && variant === 'hydracache') decorators.push(CacheRoute({ ttl: TTL }));
  Reflect.decorate(decorators, proto, name, Object.getOwnPropertyDescriptor(proto, name));
}
route('items', 'items/:id', true);
route('slow', 'slow/:id', true);
route('handlerRuns', 'handler-runs', false, OpsController);
route('cpu', 'cpu', false, OpsController);
Reflect.decorate([Controller()], OpsController);
const controllerDecorators = [Controller()];
if (variant === 'hydracache') controllerDecorators.push(UseInterceptors(HydraCacheInterceptor));
if (variant === 'cache-manager') controllerDecorators.push(UseInterceptors(CacheInterceptor));
Reflect.decorate(controllerDecorators, BenchController);

const imports = {
  hydracache: [HydraCacheModule.forRoot({ defaultTtl: TTL })],
  'cache-manager': [CacheModule.register({ ttl: TTL, isGlobal: true })],
  none: [],
}[variant];
if (imports === undefined) throw new Error(`unknown variant ${variant}`);

class AppModule {}
Reflect.decorate([Module({ imports, controllers: [BenchController, OpsController] })], AppModule);

const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
console.log(`port ${app.getHttpServer().address().port}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
