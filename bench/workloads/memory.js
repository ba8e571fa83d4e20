/** Workload (4): heap + external bytes per entry, each system alone in a child process. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TAGGED } from '../adapters/index.js';
import { adapter } from '../adapters/index.js';
import { fmt } from '../lib/harness.js';

const CHILD = fileURLToPath(new URL('./memory-child.js', import.meta.url));

/** Systems measured; the tag-capable ones also with two tags per entry. */
export const MEMORY_SYSTEMS = [
  'baseline',
  'hydra',
  'hydra-selfcontained',
  'hydra-nocopy',
  'quick-lru',
  'cache-manager',
  'bentocache',
  'async-cache-dedupe',
  'lru-cache',
];

/**
 * Runs one child and parses its JSON line.
 * @returns {{ heapPerEntry: number, externalPerEntry: number, bytesPerEntry: number }}
 */
export function measure(id, mode, entries) {
  const out = execFileSync(process.execPath, ['--expose-gc', CHILD, id, mode, String(entries)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out);
}

/**
 * @param {{ entries: number }} config
 * @returns {Promise<import('../lib/report.js').Section>}
 */
export async function memory({ entries }) {
  const rows = [];
  const data = [];
  for (const id of MEMORY_SYSTEMS) {
    const plain = measure(id, 'untagged', entries);
    const tagged = TAGGED.includes(id) ? measure(id, 'tagged', entries) : undefined;
    rows.push([
      adapter(id).label,
      fmt(plain.bytesPerEntry),
      `${fmt(plain.heapPerEntry)} + ${fmt(plain.externalPerEntry)}`,
      tagged ? fmt(tagged.bytesPerEntry) : 'n/a (no tags)',
      tagged ? `${fmt(tagged.heapPerEntry)} + ${fmt(tagged.externalPerEntry)}` : '',
    ]);
    data.push({ id, untagged: plain, tagged });
  }
  return {
    key: 'memory',
    title: `(4) Memory: bytes per entry, ${fmt(entries)} entries`,
    description: `Each system fills ${fmt(entries)} entries in its own child process (\`node --expose-gc\`); bytes = (heapUsed + external after - before) / entries after full GCs, counting everything the cache retains (keys, values or their encodings, tags, indexes). Tagged: \`user:<i>\` (unique) and \`team:<i % 100>\` (shared).`,
    columns: [
      'System',
      'Untagged B/entry',
      'heap + external',
      'Two tags B/entry',
      'heap + external',
    ],
    rows,
    data,
  };
}
