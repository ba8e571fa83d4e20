/** Workload (7): the hit path with no event subscriber vs with the OpenTelemetry bridge (issue 13). */
import { fmt, summarize } from '../lib/harness.js';
import { measureRounds } from '../otel/rounds.js';

/** The systems of bench/otel/hit-path.child.js measured here, and their labels. */
const SYSTEMS = [
  ['after', 'HydraCache, no subscriber'],
  ['after+otel', 'HydraCache, OpenTelemetry bridge enabled'],
];

/**
 * @param {{ rounds: number }} config
 * @returns {Promise<import('../lib/report.js').Section>}
 */
export async function observability({ rounds }) {
  const medians = measureRounds(
    SYSTEMS.map(([id]) => id),
    rounds,
    undefined,
  );
  const base = summarize(/** @type {number[]} */ (medians.get('after'))).median;
  const rows = [];
  const data = [];
  for (const [id, label] of SYSTEMS) {
    const s = summarize(/** @type {number[]} */ (medians.get(id)));
    rows.push([label, fmt(s.median), fmt(s.min), fmt(s.max), `${(s.median / base).toFixed(2)}x`]);
    data.push({ id, label, ...s, ratio: s.median / base });
  }
  return {
    key: 'observability',
    title: '(7) Hit path: no event subscriber vs the OpenTelemetry bridge (issue 13)',
    description: `\`bench/otel/hit-path.js\`: warm \`getOrLoad\` hits over 10 000 keys read in sequence (default CBOR codec, each answer checked). One child process per system and per round, processes alternating in rotated order for ${rounds} rounds; each reports the median ops per CPU second of 7 samples of ~100 ms after a 50 000-hit warm-up; the table gives the median, min and max of those per-process medians. "No subscriber": nothing listens on any channel (an app not using the bridge; a hit pays one \`hasSubscribers\` read). "OpenTelemetry bridge enabled": \`HydraCacheInstrumentation\` with an SDK \`MeterProvider\` (idle reader) and a \`BasicTracerProvider\`; a hit makes no span, so this is the metrics cost: one event object, one channel publish and a tally. Ratio vs no subscriber, same run.`,
    columns: ['System', 'Median ops/s', 'Min', 'Max', 'vs no subscriber'],
    rows,
    data,
  };
}
