import 'reflect-metadata';
import { runDemo } from './demo/run-demo.js';

/** `npm run demo`: the scripted tour. Exits 1 when single-flight or invalidation misbehaved. */
const watchdog = setTimeout(() => {
  console.error('The demo did not finish within 60 s.');
  process.exit(1);
}, 60_000);
watchdog.unref();

runDemo().then(
  (report) => {
    if (!report.ok) process.exitCode = 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
