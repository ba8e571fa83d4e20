/** Module systems the packaging test installs the library into. */
export type ModuleKind = 'module' | 'commonjs';

/** What a tiny app prints (as JSON) after bootstrapping, caching and invalidating. */
export interface TinyAppResult {
  moduleSystem: ModuleKind;
  loadsBeforeInvalidation: number;
  loadsAfterInvalidation: number;
  hitEqualsFirstLoad: boolean;
  dateSurvived: boolean;
  stats: Record<string, number>;
}

const IMPORTS = {
  module: `import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '@hydracache/nestjs';`,
  commonjs: `require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { Cached, HydraCache, HydraCacheModule, InvalidateTags } = require('@hydracache/nestjs');`,
};

/**
 * Source of a plain-JavaScript NestJS app using the installed package: decorators are applied
 * by hand (`Reflect.decorate`, `Injectable()(Class)`), so no compiler is involved. It runs one
 * cached call three times concurrently plus a hit, invalidates by tag, reloads, and prints
 * a {@link TinyAppResult}.
 */
export function tinyNestApp(kind: ModuleKind): string {
  return `${IMPORTS[kind]}

function decorateMethod(cls, name, ...decorators) {
  const proto = cls.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  Object.defineProperty(proto, name, Reflect.decorate(decorators, proto, name, descriptor));
}

class UsersService {
  loads = 0;
  async findOne(id) {
    this.loads++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { id, name: 'user ' + id, since: new Date(0) };
  }
  async rename(id) {
    return id;
  }
}
decorateMethod(UsersService, 'findOne', Cached({ key: (id) => 'user:' + id, tags: (id) => ['user:' + id] }));
decorateMethod(UsersService, 'rename', InvalidateTags((id) => ['user:' + id]));
Injectable()(UsersService);

class AppModule {}
Module({ imports: [HydraCacheModule.forRoot()], providers: [UsersService] })(AppModule);

async function main() {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const users = app.get(UsersService);
  const [first] = await Promise.all([users.findOne(1), users.findOne(1), users.findOne(1)]);
  const hit = await users.findOne(1);
  const loadsBeforeInvalidation = users.loads;
  await users.rename(1);
  await users.findOne(1);
  const stats = app.get(HydraCache).stats();
  await app.close();
  return {
    moduleSystem: typeof require === 'function' ? 'commonjs' : 'module',
    loadsBeforeInvalidation,
    loadsAfterInvalidation: users.loads,
    hitEqualsFirstLoad: JSON.stringify(hit) === JSON.stringify(first),
    dateSurvived: hit.since instanceof Date,
    stats,
  };
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
`;
}
