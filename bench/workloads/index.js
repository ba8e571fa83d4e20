/** The workloads (issues 5, 9 and 13) and their settings (full run, or `--quick` for a smoke test). */
import { hitPath } from './hit.js';
import { stampedes } from './stampede.js';
import { tagInvalidation } from './tags.js';
import { memory } from './memory.js';
import { decorator } from './decorator.js';
import { soak } from './soak.js';
import { observability } from './observability.js';

/** @type {Record<string, (quick: boolean) => Promise<import('../lib/report.js').Section | undefined>>} */
export const WORKLOADS = {
  hit: (quick) => hitPath({ rounds: quick ? 3 : 15, sampleMs: quick ? 50 : 200 }),
  stampede: (quick) => stampedes({ rounds: quick ? 3 : 21 }),
  tags: (quick) => tagInvalidation({ rounds: quick ? 3 : 15 }),
  memory: (quick) => memory({ entries: quick ? 20_000 : 200_000 }),
  decorator: (quick) => decorator({ rounds: quick ? 3 : 15, sampleMs: quick ? 50 : 200 }),
  soak: (quick) => soak({ ops: quick ? 100_000 : 1_000_000 }),
  observability: (quick) => observability({ rounds: quick ? 2 : 15 }),
};
