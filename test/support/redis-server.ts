import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { answersPing } from './redis-availability.js';
import { pollUntil } from './poll.js';

/** A free TCP port on 127.0.0.1, as the OS hands them out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A private `redis-server` (no persistence) for fault tests: it can be stopped and started again
 * on the same port, which is a Redis restart that loses every key.
 */
export class RedisServer {
  #child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  /** Starts a server on a free port (or `port`) and waits until it answers PING. */
  static async start(port?: number): Promise<RedisServer> {
    const server = new RedisServer(port ?? (await freePort()));
    await server.resume();
    return server;
  }

  /** A server for `port` that is not started yet ({@link resume} starts it). */
  static onPort(port: number): RedisServer {
    return new RedisServer(port);
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the process again after {@link stop} (a no-op while it runs). */
  async resume(): Promise<void> {
    if (this.#child) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    this.#child = spawn('redis-server', [...args, '--daemonize', 'no'], { stdio: 'ignore' });
    await pollUntil(() => answersPing(this.port), `redis-server on port ${this.port}`);
  }

  /** Kills the process (SIGKILL: no goodbye to clients) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }

  /** Stop, then start on the same port: every key and the server's run id are new. */
  async restart(): Promise<void> {
    await this.stop();
    await this.resume();
  }
}
