/** Workload (5): a `@Cached` method hit vs a direct `getOrLoad` hit vs the undecorated method. */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as hydra from '../../dist/index.js';
import { compileLoop, fmt, interleave, summarize } from '../lib/harness.js';
import { checkUser, makeUser } from '../lib/fixtures.js';

const KEYS = 10_000;
const TTL = 3_600_000;
const BODY = `const value = await call(i); if (value.id !== i % ${KEYS}) throw new Error('wrong answer');`;

/** Applies TypeScript-style legacy decorators from plain JavaScript, as `tsc` would emit them. */
function decorateMethod(decorator, proto, name) {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  Object.defineProperty(proto, name, decorator(proto, name, descriptor) ?? descriptor);
}

/** Builds the Nest application; returns the service and the module's cache. */
async function bootstrap() {
  const { Cached, HydraCache, HydraCacheModule } = /** @type {any} */ (hydra);
  class UsersService {
    loads = 0;
    /** @param {number} id */
    async findOne(id) {
      this.loads++;
      return makeUser(id);
    }
    /** The same method, undecorated: what the call costs without any cache. */
    async findOneUncached(id) {
      return makeUser(id);
    }
  }
  decorateMethod(
    Cached({ key: (id) => `user:${id}`, ttl: TTL }),
    UsersService.prototype,
    'findOne',
  );
  Injectable()(UsersService);
  class AppModule {}
  Module({
    imports: [HydraCacheModule.forRoot({ defaultTtl: TTL, maxCapacity: 2 * KEYS })],
    providers: [UsersService],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  return { app, service: app.get(UsersService), cache: app.get(HydraCache) };
}

/**
 * @param {{ rounds: number, sampleMs: number }} config
 * @returns {Promise<import('../lib/report.js').Section | undefined>}
 */
export async function decorator({ rounds, sampleMs }) {
  if (typeof (/** @type {any} */ (hydra).Cached) !== 'function') return undefined;
  const { app, service, cache } = await bootstrap();
  for (let id = 0; id < KEYS; id++) checkUser(await service.findOne(id), id);
  if (service.loads !== KEYS) throw new Error(`@Cached ran the method ${service.loads} times`);
  const direct = (id) =>
    cache.getOrLoad(`user:${id}`, { ttl: TTL }, () => service.findOneUncached(id));
  const variants = {
    '@Cached method hit': (i) => service.findOne(i % KEYS),
    'direct getOrLoad hit': (i) => direct(i % KEYS),
    'undecorated method (no cache)': (i) => service.findOneUncached(i % KEYS),
  };
  const names = Object.keys(variants);
  /** @type {Map<string, { loop: any, ops: number }>} */
  const loops = new Map();
  for (const name of names) {
    const loop = compileLoop(BODY);
    const rate = await loop(variants[name], 20_000);
    loops.set(name, { loop, ops: Math.max(20_000, Math.round((rate * sampleMs) / 1000)) });
  }
  const samples = await interleave(
    names,
    rounds,
    async (name) => {
      const { loop, ops } = /** @type {{ loop: any, ops: number }} */ (loops.get(name));
      return loop(variants[name], ops);
    },
    1,
  );
  if (service.loads !== KEYS) throw new Error('@Cached hits ran the method');
  checkUser(await service.findOne(3), 3);
  await app.close();
  const base = summarize(/** @type {number[]} */ (samples.get('direct getOrLoad hit'))).median;
  const data = names.map((name) => ({
    name,
    ...summarize(/** @type {number[]} */ (samples.get(name))),
  }));
  return {
    key: 'decorator',
    title: '(5) `@Cached` method hit vs direct `getOrLoad` hit',
    description: `A Nest application context (\`HydraCacheModule.forRoot\`, default cbor codec) with \`@Cached({ key: (id) => \\\`user:\${id}\\\`, ttl })\` on an \`@Injectable()\` service; ${fmt(KEYS)} warm keys, samples of ~${sampleMs} ms, ${rounds} interleaved rounds after 1 warm-up round; ops per CPU second of the process. Ratio vs the direct \`getOrLoad\` hit.`,
    columns: ['Call', 'Median ops per CPU s', 'Min', 'Max', 'vs direct getOrLoad'],
    rows: data.map((d) => [
      d.name,
      fmt(d.median),
      fmt(d.min),
      fmt(d.max),
      `${(d.median / base).toFixed(2)}x`,
    ]),
    data,
  };
}
