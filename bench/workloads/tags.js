/** Workload (3): invalidating one tag that covers 1 000 of 100 000 entries. */
import { adapter } from '../adapters/index.js';
import { fmt, interleave, now, summarize } from '../lib/harness.js';
import { checkUser, idOf, makeUser, sleep } from '../lib/fixtures.js';

const ENTRIES = 100_000;
const GROUPS = 100; // group:<g> tags ENTRIES / GROUPS = 1 000 entries
const WARMUP = 5; // invalidations per system before measuring: every system's code is compiled

/**
 * Systems with tag invalidation (the baseline's is a hand-written Map<tag, Set<key>> that leaves
 * invalidated keys in their other tags' sets; baseline-exact removes them, as HydraCache does).
 */
export const TAG_SYSTEMS = [
  'baseline',
  'baseline-exact',
  'hydra',
  'hydra-nocopy',
  'bentocache',
  'async-cache-dedupe',
];

const tagsOf = (/** @type {number} */ i) => [`user:${i}`, `group:${i % GROUPS}`];

/**
 * @param {{ rounds: number }} config
 * @returns {Promise<import('../lib/report.js').Section>}
 */
export async function tagInvalidation({ rounds }) {
  /** @type {Map<string, { inst: any, counter: { runs: number } }>} */
  const systems = new Map();
  for (const id of TAG_SYSTEMS) {
    const counter = { runs: 0 };
    const load = (/** @type {string} */ key) => (counter.runs++, makeUser(idOf(key)));
    const inst = await adapter(id).create({ capacity: 2 * ENTRIES, ttl: 3_600_000, load });
    for (let i = 0; i < ENTRIES; i++) await inst.getOrLoad(`user:${i}`, tagsOf(i));
    systems.set(id, { inst, counter });
  }
  if (rounds + WARMUP > GROUPS) throw new Error('too many rounds');

  const samples = await interleave(
    TAG_SYSTEMS,
    rounds,
    async (id, round) => {
      const { inst, counter } = /** @type {any} */ (systems.get(id));
      const group = round + WARMUP; // warm-up rounds use groups 0 .. WARMUP - 1
      const start = now();
      await inst.invalidateTag(`group:${group}`);
      const elapsed = now() - start;
      // Check (untimed): the group's entries reload, a neighbour does not; then refill the group.
      // Wait for the clock to move first: bentocache compares millisecond timestamps, so an entry
      // reloaded within the invalidation's millisecond would count as invalidated again.
      await sleep(2);
      const runs = counter.runs;
      checkUser(await inst.getOrLoad(`user:${group}`, tagsOf(group)), group);
      checkUser(await inst.getOrLoad(`user:${group + 1}`, tagsOf(group + 1)), group + 1);
      if (counter.runs !== runs + 1) throw new Error(`${id}: tag invalidation did not take effect`);
      for (let i = group; i < ENTRIES; i += GROUPS) await inst.getOrLoad(`user:${i}`, tagsOf(i));
      if (counter.runs !== runs + ENTRIES / GROUPS)
        throw new Error(`${id}: wrong entries reloaded`);
      return elapsed;
    },
    WARMUP,
  );
  const base = summarize(/** @type {number[]} */ (samples.get('baseline'))).median;
  const rows = [];
  const data = [];
  for (const id of TAG_SYSTEMS) {
    const s = summarize(/** @type {number[]} */ (samples.get(id)));
    rows.push([
      adapter(id).label,
      fmt(s.median),
      fmt(s.min),
      fmt(s.max),
      `${(base / s.median).toFixed(2)}x`,
    ]);
    data.push({ id, ...s });
    await /** @type {any} */ (systems.get(id)).inst.close();
  }
  return {
    key: 'tags',
    title: '(3) Tag invalidation: 1 000 of 100 000 entries',
    description: `Each entry has tags \`user:<i>\` and \`group:<i % 100>\`; one sample invalidates one group (1 000 entries). Checked afterwards: exactly that group reloads. ${rounds} interleaved rounds after ${WARMUP} warm-up rounds. bentocache invalidates tags lazily (it records the tag and drops entries when next read). Speed-up vs the hand-written baseline: higher is better.`,
    columns: ['System', 'Median (ms)', 'Min', 'Max', 'Speed vs baseline'],
    rows,
    data,
  };
}
