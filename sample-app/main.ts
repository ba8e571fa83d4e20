import 'reflect-metadata';
import { createApp, localUrl } from './app.factory.js';
import { AppConfig } from './config/app-config.js';
import { DatabaseConnection } from './database/database-connection.js';
import { tryIt } from './try-it.js';

/** `npm start`: serves the sample app on PORT (default 3000) and prints what to try. */
async function main(): Promise<void> {
  AppConfig.fromEnv(); // Fail fast, with one line, on a bad environment variable.
  const app = await createApp();
  app.enableShutdownHooks();
  await app.listen(app.get(AppConfig).port);
  console.log(`\n${tryIt(localUrl(app), app.get(DatabaseConnection).url)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
