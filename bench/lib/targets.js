/** Checks the issue-5 targets against the sections of one run. */
import { fmt } from './harness.js';

/** @typedef {import('./report.js').Section} Section */
/** @typedef {import('./report.js').Target} Target */

/**
 * @param {Map<string, Section>} sections by key
 * @returns {Target[]}
 */
export function evaluateTargets(sections) {
  /** @type {Target[]} */
  const out = [];
  const add = (target, measured, met) => out.push({ target, measured, met });
  const hit = sections.get('hit')?.data;
  const hitOf = (id) => hit?.find((r) => r.id === id);
  const ratio = (a, b) => {
    const x = hitOf(a);
    const y = hitOf(b);
    return x && y ? x.median / y.median : undefined;
  };
  const check = (target, value, goal) =>
    add(
      target,
      value === undefined ? 'n/a' : `${value.toFixed(2)}x`,
      value === undefined ? undefined : value >= goal,
    );
  check(
    'Hit path, default codec >= 0.9x quick-lru + cbor-x baseline',
    ratio('hydra', 'baseline'),
    0.9,
  );
  check('Hit path, default codec >= 1.5x cache-manager wrap', ratio('hydra', 'cache-manager'), 1.5);
  check('Hit path, default codec >= 5x bentocache getOrSet', ratio('hydra', 'bentocache'), 5);
  check(
    'Hit path, default codec keeps its lead: >= 1x quick-lru + cbor-x baseline (issue 9)',
    ratio('hydra', 'baseline'),
    1,
  );
  check(
    'No-copy hit path >= 0.9x lru-cache fetch (issue 9)',
    ratio('hydra-nocopy', 'lru-cache'),
    0.9,
  );

  const dec = sections.get('decorator')?.data;
  const decRatio = dec ? dec[0].median / dec[1].median : undefined;
  check('`@Cached` hit >= 0.8x direct getOrLoad hit', decRatio, 0.8);

  const stOf = (id) =>
    sections.get('stampede')?.data?.find((d) => d.id === id && d.expectedRuns === 1);
  const st = stOf('hydra');
  const nc = stOf('hydra-nocopy');
  const floor = stOf('quick-lru');
  const stampede = (label, row) =>
    add(
      `Stampede: 1 loader run for 10 000 callers, overhead <= 3 ms over 20 ms (${label})`,
      row
        ? `${row.runs} run(s), ${fmt(row.overhead.median)} ms median (max ${fmt(row.overhead.max)})` +
            (row.faultMicros === undefined
              ? ''
              : `, of which ${fmt(row.faults)} page faults ~ ${fmt((row.faults * row.faultMicros) / 1000)} ms`) +
            (floor ? `; hand-written, shared value: ${fmt(floor.overhead.median)} ms` : '')
        : 'n/a',
      row ? row.runs === 1 && row.overhead.median <= 3 : undefined,
    );
  stampede('default codec, a copy per caller', st);
  stampede('noCopy, one shared value', nc);
  const lru = stOf('lru-cache');
  const within = nc && lru ? nc.overhead.median / lru.overhead.median : undefined;
  add(
    'Stampede, 10 000 callers of 1 key: noCopy overhead within 2x of lru-cache fetch, same run (issue 9)',
    nc && lru
      ? `${fmt(nc.overhead.median)} ms vs ${fmt(lru.overhead.median)} ms: ${within?.toFixed(2)}x`
      : 'n/a',
    within === undefined ? undefined : within <= 2,
  );
  const tagRow = (id) => sections.get('tags')?.data?.find((d) => d.id === id);
  const tg = tagRow('hydra');
  const exact = tagRow('baseline-exact');
  add(
    'Tag invalidation of 1 000 of 100 000 entries: median <= 1 ms',
    tg
      ? `${fmt(tg.median)} ms (min ${fmt(tg.min)}, max ${fmt(tg.max)})` +
          (exact ? `; hand-written with an exact index: ${fmt(exact.median)} ms` : '')
      : 'n/a',
    tg ? tg.median <= 1 : undefined,
  );
  const mem = sections.get('memory')?.data?.find((d) => d.id === 'hydra');
  add(
    'Memory: <= 450 bytes per entry with two tags (untagged reported)',
    mem
      ? `${fmt(mem.tagged.bytesPerEntry)} B two tags, ${fmt(mem.untagged.bytesPerEntry)} B untagged`
      : 'n/a',
    mem ? mem.tagged.bytesPerEntry <= 450 : undefined,
  );
  const sk = sections.get('soak')?.data;
  add(
    'Soak: end heap within 10% of warm heap; tag index and in-flight map never above live entries',
    sk
      ? `${(sk.growth * 100).toFixed(1)}% heap; tag excess ${sk.maxTagExcess}, in-flight excess ${sk.maxInFlight}`
      : 'n/a',
    sk ? Math.abs(sk.growth) <= 0.1 && sk.maxTagExcess <= 0 && sk.maxInFlight <= 0 : undefined,
  );
  return out;
}
