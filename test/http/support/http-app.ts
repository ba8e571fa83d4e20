import 'reflect-metadata';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

/** The HTTP platforms every response-cache spec runs against. */
export const ADAPTERS = ['express', 'fastify'] as const;

/** One of {@link ADAPTERS}. */
export type AdapterName = (typeof ADAPTERS)[number];

/**
 * Starts a Nest application on `adapter`, listening on a free loopback port: supertest then sends
 * every request to that one address, so the `Host` the response cache keys by stays the same
 * (an unbound server would be bound to a new port per request). The logger is off: expected
 * failures stay out of the output.
 */
export async function startHttpApp(
  adapter: AdapterName,
  metadata: ModuleMetadata,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication(
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  return app;
}

/**
 * Waits until `condition` holds, checking between event-loop turns; fails after `ms`. For what
 * real sockets decide (when requests have arrived), never as a delay.
 */
export async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
