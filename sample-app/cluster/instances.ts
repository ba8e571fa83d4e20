import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running sample-app process of the cluster demo. */
export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
}

const ENTRY = fileURLToPath(new URL('./instance.js', import.meta.url));

/**
 * Forks one sample-app process per name with `env` (plus its INSTANCE_NAME and PORT=0) and resolves
 * once each listens. Their output is echoed prefixed with the name. Rejects if one exits first or
 * does not listen within `timeoutMs`; what was started is in `started` either way, for {@link stopAll}.
 */
export async function startInstances(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  started: ChildProcess[],
  timeoutMs = 20_000,
): Promise<Instance[]> {
  return Promise.all(
    names.map((name) => {
      const child = fork(ENTRY, [], {
        env: { ...process.env, ...env, INSTANCE_NAME: name, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      started.push(child);
      echo(child, name);
      return listening(child, name, timeoutMs);
    }),
  );
}

/** Stops every process in `children`: SIGTERM, then SIGKILL for any still there after 3 s. */
export async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Last resort on process exit (synchronous): kills whatever is still running. */
export function killAll(children: readonly ChildProcess[]): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function listening(child: ChildProcess, name: string, timeoutMs: number): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`instance ${name} did not listen within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance ${name} exited before listening (${signal ?? `code ${code}`})`));
    });
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'listening' || typeof message.url !== 'string') return;
      clearTimeout(timer);
      resolve({ name, url: message.url, child });
    });
  });
}

function echo(child: ChildProcess, name: string): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => {
      for (const line of text.trimEnd().split('\n')) console.log(`  [${name}] ${line}`);
    });
  }
}
