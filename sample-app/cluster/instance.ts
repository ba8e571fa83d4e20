import 'reflect-metadata';
import { createApp } from '../app.factory.js';

/**
 * One sample-app process of `npm run demo:cluster`, configured by the environment the parent
 * gives it (DATABASE_URL, DB_SCHEMA, REDIS_URL, REDIS_CHANNEL, INSTANCE_NAME). Listens on a free port, tells
 * the parent its URL over IPC, and closes (leaving the bus) when the parent goes or sends SIGTERM.
 */
async function main(): Promise<void> {
  const app = await createApp(['warn', 'error']);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}` });
  // The parent died or let go of us: leave too, instead of serving forever as an orphan.
  process.once('disconnect', () => {
    void app.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
