// One cache on the Redis bus in a process of its own, driven by its parent over IPC:
// `node bus-node.mjs <dist dir> <redis url> <channel>`. Each request { id, op, ...args } is answered
// with { id, result } or { id, error }.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, url, channel] = process.argv.slice(2);
const { HydraCache } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const { redisBus } = await import(pathToFileURL(path.join(dist, 'redis', 'index.js')).href);

const cache = HydraCache.local()
  .bus(redisBus({ url, channel }), { onWarn: () => undefined })
  .build();

const ops = {
  connected: () => cache.busStats().connected,
  load: ({ key, tags, value }) => cache.getOrLoad(key, { tags }, () => value),
  put: ({ key, value }) => cache.put(key, value),
  contains: ({ key }) => cache.containsKey(key),
  invalidateKey: ({ key }) => cache.invalidateKey(key),
  invalidateTag: ({ tag }) => cache.invalidateTag(tag),
  flush: () => cache.flush(),
  busStats: () => cache.busStats(),
  close: async () => {
    await cache.close();
    setImmediate(() => process.disconnect());
  },
};

process.on('message', async ({ id, op, ...args }) => {
  try {
    process.send({ id, result: await ops[op](args) });
  } catch (error) {
    process.send({ id, error: String(error) });
  }
});
process.send({ ready: true });
