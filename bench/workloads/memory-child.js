/**
 * Child process of workload (4): fills one system with N entries and prints its heap + external
 * bytes per entry as JSON. Run alone so nothing else shares the heap:
 *   node --expose-gc bench/workloads/memory-child.js <system> <tagged|untagged> <entries>
 */
import { adapter } from '../adapters/index.js';
import { gc } from '../lib/harness.js';
import { checkUser, idOf, makeUser } from '../lib/fixtures.js';

const [id = 'hydra', mode = 'untagged', count = '200000'] = process.argv.slice(2);
const entries = Number(count);
const tagged = mode === 'tagged';

function used() {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return { heap: heapUsed, external };
}

const system = adapter(id);
const inst = await system.create({
  capacity: entries + 1000,
  ttl: 3_600_000,
  load: (key) => makeUser(idOf(key)),
});
// Warm the code paths on other keys, then drop them, so compiled code is not counted per entry.
for (let i = 0; i < 1000; i++)
  await inst.getOrLoad(`warm:${i}`, tagged ? ['warm', `w:${i}`] : undefined);
await inst.close();
const fresh = await system.create({
  capacity: entries + 1000,
  ttl: 3_600_000,
  load: (key) => makeUser(idOf(key)),
});
const before = used();
for (let i = 0; i < entries; i++) {
  // Two tags per entry: one unique (`user:<id>`), one shared by 1% of the entries (`team:<n>`).
  const tags = tagged ? [`user:${i}`, `team:${i % 100}`] : undefined;
  const value = await fresh.getOrLoad(`user:${i}`, tags);
  if (value.id !== i) throw new Error(`${id}: wrong answer for user:${i}`);
}
const after = used();
// The entries must still be there (a cache that dropped them would look small).
for (const i of [0, 1, entries >> 1, entries - 1]) checkUser(await fresh.getOrLoad(`user:${i}`), i);
process.stdout.write(
  JSON.stringify({
    id,
    mode,
    entries,
    heapPerEntry: (after.heap - before.heap) / entries,
    externalPerEntry: (after.external - before.external) / entries,
    bytesPerEntry: (after.heap + after.external - before.heap - before.external) / entries,
  }),
);
// No close(): some systems take long to clear, and the process ends here anyway.
process.exit(0);
