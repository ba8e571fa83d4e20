// A mixed app, run with plain `node` inside a CommonJS NestJS app of packaging.spec.ts: it
// registers the module through `require` (the CommonJS build) and decorates through `import`
// (the ES module build), so two copies of the library are loaded at once. It prints which file
// each way resolved to and how many times a cached method's loader ran for two equal calls.
import { createRequire } from 'node:module';
import { Cached } from '@hydracache/nestjs';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { HydraCacheModule } = require('@hydracache/nestjs');

class UsersService {
  loads = 0;
  async findOne(id) {
    this.loads++;
    return { id };
  }
}
const proto = UsersService.prototype;
const descriptor = Object.getOwnPropertyDescriptor(proto, 'findOne');
const decorate = Cached({ key: (id) => `user:${id}` });
Object.defineProperty(proto, 'findOne', Reflect.decorate([decorate], proto, 'findOne', descriptor));
Injectable()(UsersService);

class AppModule {}
Module({ imports: [HydraCacheModule.forRoot()], providers: [UsersService] })(AppModule);

const report = {
  imported: import.meta.resolve('@hydracache/nestjs'),
  required: require.resolve('@hydracache/nestjs'),
};
try {
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: false,
    abortOnError: false,
  });
  const users = app.get(UsersService);
  await users.findOne(1);
  await users.findOne(1);
  report.loads = users.loads;
  await app.close();
} catch (error) {
  report.error = String(error?.message ?? error).split('\n')[0];
}
console.log(JSON.stringify(report));
