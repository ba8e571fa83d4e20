import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ensureBuilt } from '../e2e/packaging/built-dist.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';

const ROOT = process.cwd();
const NODE = path.join(ROOT, 'test', 'redis', 'support', 'bus-node.mjs');

/** A cache in a child process, on the bus, answering requests over IPC. */
class Instance {
  #next = 0;
  readonly #pending = new Map<number, (reply: { result?: unknown; error?: string }) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (reply: { id?: number; result?: unknown; error?: string }) => {
      if (reply.id === undefined) return;
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
  }

  static start(channel: string): Promise<Instance> {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // the child runs the built package, not jest's VM modules
    const child = fork(NODE, [path.join(ROOT, 'dist'), SHARED_REDIS_URL, channel], {
      env,
      stdio: 'inherit',
    });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new Instance(child)));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bus node exited with ${code}`)));
    });
  }

  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, ({ result, error }) =>
        error === undefined ? resolve(result as T) : reject(new Error(error)),
      );
      this.child.send({ id, op, ...args });
    });
  }
}

/** Polls `check` until it holds, failing after `ms`. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('caches in separate processes on one Redis', () => {
  let nodes: Instance[] = [];

  beforeAll(async () => {
    if (!(await sharedRedisAvailable('caches in separate processes'))) return;
    ensureBuilt(ROOT);
    const channel = `procs-${randomUUID()}`;
    nodes = await Promise.all([0, 1, 2].map(() => Instance.start(channel)));
    for (const node of nodes) {
      await eventually(() => node.call<boolean>('connected'), 'every instance joined the bus');
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.call('close').catch(() => undefined)));
    for (const node of nodes) if (node.child.exitCode === null) node.child.kill();
  });

  async function loadEverywhere(key: string, tags: string[] = []): Promise<void> {
    for (const node of nodes) await node.call('load', { key, tags, value: 'v' });
    for (const node of nodes) expect(await node.call('contains', { key })).toBe(true);
  }

  async function goneEverywhere(key: string): Promise<void> {
    for (const node of nodes) {
      await eventually(async () => !(await node.call<boolean>('contains', { key })), `${key} left`);
    }
  }

  it('a tag invalidated in one process leaves the other two', async () => {
    if (nodes.length === 0) return;
    await loadEverywhere('user:1', ['users']);
    await nodes[0]!.call('invalidateTag', { tag: 'users' });
    await goneEverywhere('user:1');
  });

  it('a key invalidation, a put and a flush reach the other processes', async () => {
    if (nodes.length === 0) return;
    await loadEverywhere('a');
    await nodes[1]!.call('invalidateKey', { key: 'a' });
    await goneEverywhere('a');

    await loadEverywhere('b');
    await nodes[2]!.call('put', { key: 'b', value: 'new' });
    for (const node of [nodes[0]!, nodes[1]!]) {
      await eventually(async () => !(await node.call<boolean>('contains', { key: 'b' })), 'b left');
    }
    expect(await nodes[2]!.call('contains', { key: 'b' })).toBe(true);

    await loadEverywhere('c');
    await nodes[0]!.call('flush');
    await goneEverywhere('c');
  });

  it('counts what each process applied and never re-applies its own messages', async () => {
    if (nodes.length === 0) return;
    const stats = await Promise.all(
      nodes.map((node) => node.call<Record<string, number>>('busStats')),
    );
    // Four messages in all (tag, key, put, flush); each process published some and applied the rest.
    for (const s of stats) {
      expect(s.applied + s.ignoredOwn).toBe(4);
      expect(s.malformed).toBe(0);
    }
    expect(stats.map((s) => s.ignoredOwn)).toEqual([2, 1, 1]);
  });
});
