/**
 * The two caches the propagation benchmark compares, behind one small shape so that a node of the
 * benchmark (bench/cluster/node.js) does not care which one it drives:
 *   fill(key)        store `key` locally without telling the others (a load filling a miss)
 *   invalidate(key)  remove `key` here and on every other instance; resolves when handed to the bus
 *   onRemoteRemoval  (keys index -> void) called, with the removal already applied, for each key
 *                    another instance's invalidation removed here
 *   close()
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver } from 'bentocache/drivers/redis';
import { HydraCache } from '../../dist/index.js';
import { redisBus } from '../../dist/redis/index.js';

const HOUR = 3_600_000;

/**
 * HydraCache with the Redis bus. Removal is observed by wrapping the transport's listener: right
 * after the bus applied a message (synchronously), the number of live entries tells how many of
 * the filled keys are gone; the benchmark invalidates them in order, one key per message.
 */
export async function hydracache({ url, channel, expected }) {
  const transport = redisBus({ url, channel });
  let onRemoved = () => {};
  let removedBefore = 0;
  let filled = 0;
  const observed = {
    name: transport.name,
    start(listener) {
      transport.start({
        ...listener,
        connected: (info) => listener.connected(info),
        disconnected: (cause) => listener.disconnected(cause),
        gap: () => listener.gap(),
        warn: (message, cause) => listener.warn(message, cause),
        message(payload) {
          listener.message(payload);
          const removed = filled - cache.diagnostics().entries;
          while (removedBefore < removed) onRemoved(removedBefore++);
        },
      });
    },
    publish: (payload) => transport.publish(payload),
    close: () => transport.close(),
  };
  const cache = new HydraCache({ defaultTtl: HOUR, maxCapacity: expected * 2, bus: observed });
  await until(() => cache.busStats().connected, 'HydraCache to join the bus');
  return {
    label: 'HydraCache (redisBus)',
    async fill(keys) {
      for (const key of keys) await cache.getOrLoad(key, {}, async () => 1);
      filled = cache.diagnostics().entries;
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
