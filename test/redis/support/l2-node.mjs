// One cache with the Redis second tier in a process of its own, driven by its parent over IPC:
// `node l2-node.mjs <dist dir> <redis url> <prefix>`. Each request { id, op, ...args } is answered
// with { id, result } or { id, error }. Its codec lists one class, User, defined here: the parent
// defines a User of its own, so a value that crosses keeps its class only through the list.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, url, prefix] = process.argv.slice(2);
const { HydraCache, CborCodec } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const { redisL2 } = await import(pathToFileURL(path.join(dist, 'redis', 'index.js')).href);

class User {
  constructor(name) {
    this.name = name;
  }
}

const tier = redisL2({ url, prefix, timeout: 1_000 });
const cache = new HydraCache({ l2: tier, codec: new CborCodec({ classes: [User] }) });
let loaderRuns = 0;
/** Gates of loads started with `startLoad`, by key. */
const gates = new Map();

const ops = {
  ready: () => tier.client.status === 'ready',
  loadUser: async ({ key, name }) => {
    const user = await cache.getOrLoad(key, { tags: ['users'] }, () => {
      loaderRuns++;
      return new User(name);
    });
    return { name: user.name, isUser: user instanceof User };
  },
  startLoad: async ({ key, name }) => {
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    let started;
    const running = new Promise((resolve) => (started = resolve));
    const done = cache.getOrLoad(key, { tags: ['users'] }, () => {
      loaderRuns++;
      started();
      return gate.then(() => new User(name));
    });
    gates.set(key, { release, done });
    await running;
    return true;
  },
  finishLoad: async ({ key }) => {
    const { release, done } = gates.get(key);
    gates.delete(key);
    release();
    return (await done).name;
  },
  invalidateTag: ({ tag }) => cache.invalidateTag(tag),
  stats: () => ({ loaderRuns, ...cache.l2Stats() }),
  close: async () => {
    await cache.close();
    setImmediate(() => process.disconnect());
  },
};

process.on('message', async ({ id, op, ...args }) => {
  try {
    process.send({ id, result: await ops[op](args) });
  } catch (error) {
    process.send({ id, error: String(error?.message ?? error) });
  }
});
process.send({ started: true });
