import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { answersPing } from '../../support/redis-availability.js';
import { pollUntil } from '../../support/poll.js';
import { freePort } from '../../support/redis-server.js';

const run = promisify(execFile);

/**
 * A throwaway Redis Cluster of three masters on loopback ports, each in a temp dir with no
 * persistence; {@link stop} kills them and removes the dirs.
 */
export class RedisCluster {
  private constructor(
    readonly ports: readonly number[],
    private readonly children: readonly ChildProcess[],
    private readonly dirs: readonly string[],
  ) {}

  /** Starts three masters, joins them into one cluster and waits until it reports ok. */
  static async start(): Promise<RedisCluster> {
    const ports = [await freePort(), await freePort(), await freePort()];
    const dirs = ports.map(() => mkdtempSync(join(tmpdir(), 'hc-cluster-')));
    const children = ports.map((port, i) =>
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dirs[i]!, 'nodes.conf'),
          '--dir',
          dirs[i]!,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      ),
    );
    const cluster = new RedisCluster(ports, children, dirs);
    try {
      for (const port of ports) await pollUntil(() => answersPing(port), `cluster node ${port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-yes',
      ]);
      await pollUntil(async () => {
        const states = await Promise.all(
          ports.map((port) => run('redis-cli', ['-p', String(port), 'cluster', 'info'])),
        );
        return states.every(({ stdout }) => stdout.includes('cluster_state:ok'));
      }, 'the cluster to report ok');
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Keys each master holds, in port order. */
  async keyCounts(): Promise<number[]> {
    const sizes = await Promise.all(
      this.ports.map((port) => run('redis-cli', ['-p', String(port), 'dbsize'])),
    );
    return sizes.map(({ stdout }) => Number(stdout.trim()));
  }

  /** Kills every node and removes their dirs. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
