// A mixed app, run with plain `node` inside a CommonJS NestJS app of packaging.spec.ts: `import`
// gets the ES module build and `require` the CommonJS one, so two copies of the library are
// loaded at once. Each scenario registers the module through one copy and decorates through the
// other. It prints which file each way resolved to and, per scenario, how many times a cached
// method's loader ran for two equal calls (or the bootstrap error).
import { createRequire } from 'node:module';
import * as imported from '@hydracache/nestjs';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const required = require('@hydracache/nestjs');

/** Boots an app whose module comes from `moduleCopy` and whose `@Cached` from `decoratorCopy`. */
async function twoCalls(moduleCopy, decoratorCopy) {
  class UsersService {
    loads = 0;
    async findOne(id) {
      this.loads++;
      return { id };
    }
  }
  const proto = UsersService.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'findOne');
  const cached = decoratorCopy.Cached({ key: (id) => `user:${id}` });
  Object.defineProperty(proto, 'findOne', Reflect.decorate([cached], proto, 'findOne', descriptor));
  Injectable()(UsersService);

  class AppModule {}
  const imports = [moduleCopy.HydraCacheModule.forRoot()];
  Module({ imports, providers: [UsersService] })(AppModule);

  try {
    const options = { logger: false, abortOnError: false };
    const app = await NestFactory.createApplicationContext(AppModule, options);
    const users = app.get(UsersService);
    await users.findOne(1);
    await users.findOne(1);
    await app.close();
    return { loads: users.loads };
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0] };
  }
}

const report = {
  imported: import.meta.resolve('@hydracache/nestjs'),
  required: require.resolve('@hydracache/nestjs'),
  moduleRequiredDecoratorsImported: await twoCalls(required, imported),
  moduleImportedDecoratorsRequired: await twoCalls(imported, required),
};
console.log(JSON.stringify(report));
