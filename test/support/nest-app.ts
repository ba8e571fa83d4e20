import 'reflect-metadata';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { deferred } from './deferred.js';

/**
 * Compiles a testing module from `metadata` and starts a Nest application on it (not listening:
 * supertest binds the server per request). The logger is off so that expected failures (500s,
 * bootstrap errors) do not flood the test output; assertions check what reaches the client.
 */
export async function startApp(metadata: ModuleMetadata): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** Compiles a testing module (no HTTP layer), for tests that call providers directly. */
export function compileModule(metadata: ModuleMetadata): Promise<TestingModule> {
  return Test.createTestingModule(metadata).compile();
}

/** Counts events and resolves `reached` once `target` of them have happened. */
export interface Countdown {
  readonly reached: Promise<void>;
  readonly count: number;
  tick(): void;
}

/** Creates a {@link Countdown} for `target` events. */
export function countdown(target: number): Countdown {
  const done = deferred<void>();
  let count = 0;
  return {
    reached: done.promise,
    get count() {
      return count;
    },
    tick() {
      count++;
      if (count === target) done.resolve();
    },
  };
}
