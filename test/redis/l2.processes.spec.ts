import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt } from '../e2e/packaging/built-dist.js';
import { pollUntil } from '../support/poll.js';
import { SHARED_REDIS_URL, sharedRedisAvailable } from '../support/redis-availability.js';
import { uniquePrefix } from './support/l2-caches.js';

const ROOT = process.cwd();
const NODE = path.join(ROOT, 'test', 'redis', 'support', 'l2-node.mjs');

interface UserReply {
  name: string;
  isUser: boolean;
}

/** A cache with the Redis second tier in a child process, answering requests over IPC. */
class Replica {
  #next = 0;
  readonly #pending = new Map<number, (reply: { result?: unknown; error?: string }) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (reply: { id?: number; result?: unknown; error?: string }) => {
      if (reply.id === undefined) return;
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
  }

  static async start(prefix: string): Promise<Replica> {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // the child runs the built package, not jest's VM modules
    const child = fork(NODE, [path.join(ROOT, 'dist'), SHARED_REDIS_URL, prefix], {
      env,
      stdio: 'inherit',
    });
    const replica = await new Promise<Replica>((resolve, reject) => {
      child.once('message', () => resolve(new Replica(child)));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`l2 node exited with ${code}`)));
    });
    await pollUntil(() => replica.call<boolean>('ready'), 'the replica to reach Redis');
    return replica;
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

const available = await sharedRedisAvailable('Redis second tier across processes');

(available ? describe : describe.skip)('replicas in separate processes sharing the tier', () => {
  let replicas: Replica[] = [];

  beforeAll(async () => {
    ensureBuilt(ROOT);
    const prefix = uniquePrefix();
    replicas = await Promise.all([0, 1].map(() => Replica.start(prefix)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.call('close').catch(() => undefined)));
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill();
  });

  it("a cold replica gets the other process's value, as an instance of its own class, without loading", async () => {
    const [a, b] = replicas as [Replica, Replica];
    expect(await a.call<UserReply>('loadUser', { key: 'user:1', name: 'Ada' })).toEqual({
      name: 'Ada',
      isUser: true,
    });
    expect(await b.call<UserReply>('loadUser', { key: 'user:1', name: 'other' })).toEqual({
      name: 'Ada',
      isUser: true,
    });
    expect(await b.call('stats')).toMatchObject({ loaderRuns: 0, hits: 1 });
  });

  it('a load in one process overtaken by an invalidation in the other stores nothing in Redis', async () => {
    const [a, b] = replicas as [Replica, Replica];
    await b.call('startLoad', { key: 'user:2', name: 'old' });
    await a.call('invalidateTag', { tag: 'users' });
    expect(await b.call('finishLoad', { key: 'user:2' })).toBe('old');
    expect(await b.call('stats')).toMatchObject({ refusedFills: 1 });
    expect(await a.call<UserReply>('loadUser', { key: 'user:2', name: 'new' })).toMatchObject({
      name: 'new',
    });
  });
});
