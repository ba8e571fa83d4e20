/**
 * The hit path with a bus attached vs without, in one process, interleaved: two HydraCaches
 * holding the same keys, one on the Redis bus (connected), timed in alternating rounds.
 */
import { HydraCache } from '../../dist/index.js';
import { redisBus } from '../../dist/redis/index.js';

const KEYS = 1_000;

/** Median ns per `get` hit for each cache over `rounds` rounds of `ops` gets. */
export async function measureHitPath({ url, channel, rounds = 15, ops = 200_000 }) {
  const plain = new HydraCache({ defaultTtl: 3_600_000 });
  const bused = new HydraCache({ defaultTtl: 3_600_000, bus: redisBus({ url, channel }) });
  const deadline = Date.now() + 10_000;
  while (!bused.busStats().connected) {
    if (Date.now() > deadline) throw new Error('the hit-path cache did not join the bus');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const keys = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
  for (const cache of [plain, bused]) {
    for (const key of keys) await cache.getOrLoad(key, {}, async () => ({ id: key, n: 1 }));
  }
  const samples = { plain: [], bused: [] };
  const run = async (cache) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) {
      if ((await cache.get(keys[i % KEYS])) === undefined) throw new Error('unexpected miss');
    }
    return Number(process.hrtime.bigint() - started) / ops;
  };
  await run(plain); // warm-up, both
  await run(bused);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['plain', 'bused'] : ['bused', 'plain'];
    for (const name of order) samples[name].push(await run(name === 'plain' ? plain : bused));
  }
  await Promise.all([plain.close(), bused.close()]);
  return { plain: median(samples.plain), bused: median(samples.bused), rounds, ops };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
