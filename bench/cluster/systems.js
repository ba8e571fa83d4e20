/**
 * The two caches the propagation benchmark compares, behind one small shape so that a node of the
 * benchmark (bench/cluster/node.js) does not care which one it drives:
 *   fill(key)        store `key` locally without telling the others (a load filling a miss)
 *   invalidate(key)  remove `key` here and on every other instance; resolves when handed to the bus
 *   onRemoval        (keys index -> void) called, with the removal already applied, for each key
 *                    another instance's invalidation removed here
 *   close()
 */
import diagnostics from 'node:diagnostics_channel';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver } from 'bentocache/drivers/redis';
import { pathToFileURL } from 'node:url';

const HOUR = 3_600_000;

/**
 * HydraCache with the Redis bus. Removal is observed the way an app would: on the
 * `hydracache:invalidation` diagnostics channel, which the cache publishes right after it applied
 * a remote invalidation (synchronously); the benchmark invalidates the keys in order, one key per
 * message, so the n-th removed entry is key n.
 */
export function hydracache(options) {
  const key = process.env.BUS_KEY;
  const label = key ? 'HydraCache (redisBus, shared key)' : 'HydraCache (redisBus)';
  return hydracacheFrom(new URL('../../dist/', import.meta.url), label, options, key);
}

/**
 * The same, built from another checkout (`BASELINE_DIST=<its dist dir>`, e.g. main's), so that a
 * change can be measured against what it changes in the same run.
 */
export function baseline(options) {
  const label = `HydraCache before (${process.env.BASELINE_LABEL ?? 'baseline'})`;
  return hydracacheFrom(pathToFileURL(`${process.env.BASELINE_DIST}/`), label, options, undefined);
}

async function hydracacheFrom(dist, label, { url, channel, expected }, key) {
  const { HydraCache } = await import(new URL('index.js', dist).href);
  const { redisBus } = await import(new URL('redis/index.js', dist).href);
  const bus = redisBus({ url, channel, ...(key ? { key } : {}) });
  let onRemoved = () => {};
  let removedBefore = 0;
  diagnostics.subscribe('hydracache:invalidation', (event) => {
    if (event.origin !== 'remote') return;
    // A flush (a resync after a gap) removes every key still held, at once.
    const removed = event.kind === 'flush' ? expected - removedBefore : event.removed;
    for (let n = 0; n < removed; n++) onRemoved(removedBefore++);
  });
  const cache = new HydraCache({ defaultTtl: HOUR, maxCapacity: expected * 2, bus });
  await until(() => cache.busStats().connected, 'HydraCache to join the bus');
  return {
    label,
    async fill(keys) {
      for (const key of keys) await cache.getOrLoad(key, {}, async () => 1);
      removedBefore = 0;
    },
    invalidate: (key) => cache.invalidateKey(key),
    set onRemoval(fn) {
      onRemoved = fn;
    },
    stats: () => cache.busStats(),
    close: () => cache.close(),
  };
}

/**
 * bentocache 1.6 with a memory L1 and its Redis bus (@boringnode/bus over ioredis), no L2. Removal
 * is observed on `bus:message:received`, which bentocache emits just before it deletes the keys in
 * the same synchronous step; a microtask later the deletion has happened.
 */
export async function bentocache({ url, channel, keyIndex }) {
  const { hostname, port } = new URL(url);
  let onRemoved = () => {};
  const bento = new BentoCache({
    default: 'l1',
    stores: {
      l1: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 100_000 }))
        .useBus(redisBusDriver({ connection: { host: hostname, port: Number(port) } })),
    },
    prefix: channel,
    ttl: HOUR,
  });
  bento.on('bus:message:received', ({ message }) => {
    if (message.type !== 'delete') return;
    queueMicrotask(() => {
      for (const key of message.keys) onRemoved(keyIndex(key));
    });
  });
  // @boringnode/bus subscribes in the background; give it a moment (no public "ready" hook).
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    label: 'bentocache 1.6 (memory L1 + Redis bus)',
    async fill(keys) {
      for (const key of keys) await bento.getOrSet({ key, factory: async () => 1 });
    },
    invalidate: (key) => bento.delete({ key }),
    set onRemoval(fn) {
      onRemoved = fn;
    },
    stats: () => undefined,
    close: () => bento.disconnectAll(),
  };
}

async function until(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
