/** Workload (6): a million mixed operations with churn at capacity 10 000. */
import { HydraCache } from '../../dist/index.js';
import { fmt, gc } from '../lib/harness.js';
import { checkId, makeUser } from '../lib/fixtures.js';

const CAPACITY = 10_000;
const KEYSPACE = 30_000; // 3x the capacity, skewed: hot keys hit, the tail churns
const TEAMS = 50; // entries carry `user:<k>` and `team:<k % TEAMS>`
const BATCH = 100; // operations issued together, so loads overlap invalidations

/** Deterministic xorshift PRNG, so every run does the same operations. */
function rng(seed) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const heap = () => (gc(), process.memoryUsage().heapUsed);

/**
 * @param {{ ops: number, noCopy?: boolean }} config
 * @returns {Promise<import('../lib/report.js').Section>}
 */
export async function soak({ ops, noCopy = false }) {
  let builder = HydraCache.local().defaultTtl(60_000).maxCapacity(CAPACITY);
  if (noCopy) builder = builder.noCopy();
  const cache = builder.build();
  const random = rng(0x5eed);
  const options = (k) => ({
    ttl: random() < 0.25 ? 1 + Math.floor(random() * 50) : 60_000, // a quarter expire quickly
    tags: [`user:${k}`, `team:${k % TEAMS}`],
  });
  const loader = (k) => (random() < 0.2 ? Promise.resolve().then(() => makeUser(k)) : makeUser(k));
  const check = (k) => (v) => v === undefined || checkId(v, k);
  const warmAt = Math.floor(ops / 5 / BATCH) * BATCH;
  let warmHeap = 0;
  let maxTagExcess = -Infinity;
  let maxInFlight = 0;
  let maxTagGenerations = 0;
  const watch = () => {
    const d = cache.diagnostics();
    // Bound: each live entry brings one unique tag, plus at most TEAMS shared ones.
    maxTagExcess = Math.max(maxTagExcess, d.indexedTags - (d.entries + TEAMS));
    maxInFlight = Math.max(maxInFlight, d.inFlightLoads - Math.max(d.entries, BATCH));
    maxTagGenerations = Math.max(maxTagGenerations, d.tagGenerations);
  };
  const started = performance.now();
  for (let done = 0; done < ops; done += BATCH) {
    const pending = [];
    for (let j = 0; j < BATCH; j++) {
      const r = random();
      const k = Math.floor(r * r * KEYSPACE);
      const key = `user:${k}`;
      const p = random();
      if (p < 0.5) pending.push(cache.getOrLoad(key, options(k), () => loader(k)).then(check(k)));
      else if (p < 0.75) pending.push(cache.get(key).then(check(k)));
      else if (p < 0.87) pending.push(cache.put(key, makeUser(k), options(k)));
      else if (p < 0.92) pending.push(cache.invalidateKey(key));
      else if (p < 0.93) pending.push(cache.invalidateTag(key));
      else if (p < 0.931) pending.push(cache.invalidateTag(`team:${k % TEAMS}`));
      else pending.push(cache.containsKey(key));
    }
    watch();
    await Promise.all(pending);
    watch();
    if (done + BATCH === warmAt) warmHeap = heap();
  }
  const elapsed = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 60)); // let short TTLs lapse: no effect on bounds
  const endHeap = heap();
  const d = cache.diagnostics();
  const stats = cache.stats();
  const growth = (endHeap - warmHeap) / warmHeap;
  await cache.flush();
  return {
    key: noCopy ? 'soak-nocopy' : 'soak',
    title: `(6) Soak: ${fmt(ops)} mixed operations, capacity ${fmt(CAPACITY)}${noCopy ? ' (noCopy)' : ''}`,
    description: `HydraCache${noCopy ? ' noCopy' : ' default'}, keys drawn from ${fmt(KEYSPACE)} with a skew (hot keys hit, the tail churns through evictions), batches of ${BATCH} concurrent operations: 50% getOrLoad (20% of loaders async), 25% get, 12% put, 5% invalidateKey, 1% invalidateTag of a key's own tag, 0.1% of a shared team tag, 6.9% containsKey; a quarter of the writes live 1-50 ms. Every returned value is checked. Took ${fmt(elapsed / 1000)} s.`,
    columns: ['Measure', 'Value'],
    rows: [
      ['Heap after warm-up (first 20% of ops)', `${fmt(warmHeap / 1e6)} MB`],
      [
        'Heap at the end',
        `${fmt(endHeap / 1e6)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`,
      ],
      [
        'Entries / indexed tags / in-flight / tag generations at the end',
        `${d.entries} / ${d.indexedTags} / ${d.inFlightLoads} / ${d.tagGenerations}`,
      ],
      [`Max (indexed tags - (entries + ${TEAMS})) seen`, String(maxTagExcess)],
      [`Max (in-flight - max(entries, ${BATCH})) seen`, String(maxInFlight)],
      ['Max tag generations seen', String(maxTagGenerations)],
      [
        'Stats',
        `hits ${stats.hits}, misses ${stats.misses}, loads ${stats.loads}, joins ${stats.singleFlightJoins}, stale discards ${stats.staleLoadDiscards}, invalidations ${stats.invalidations}, evictions ${stats.evictions}`,
      ],
    ],
    data: { warmHeap, endHeap, growth, maxTagExcess, maxInFlight, end: d, stats, elapsed },
  };
}
