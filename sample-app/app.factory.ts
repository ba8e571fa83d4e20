import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { LogLevel, INestApplication } from '@nestjs/common';
import { AppModule } from './app.module.js';

/** Creates the sample application (Express). `logger: false` silences Nest's own logs. */
export function createApp(
  logger: LogLevel[] | false = ['log', 'warn', 'error'],
): Promise<INestApplication> {
  // forceCloseConnections: app.close() ends keep-alive sockets instead of waiting for them.
  return NestFactory.create(AppModule, { logger, forceCloseConnections: true });
}

/** The base URL a client on this machine reaches the listening app at. */
export function localUrl(app: INestApplication): string {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://localhost:${port}`;
}
