import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { HydraCache } from '../../lib/index.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { sharedRedisAvailable } from '../support/redis-availability.js';
import { closeAll, l2Cache, uniquePrefix } from './support/l2-caches.js';

const available = await sharedRedisAvailable('Redis second tier races (shared Redis)');

afterEach(closeAll);

/**
 * One step of a run: start a load on instance `on` (its loader reads the "database" when called
 * and returns it when released), release a started load, or write the database and invalidate on
 * instance `on` (by tag, by key or by flush; by a result tag for loads that learn their tag late).
 */
type Step =
  | { kind: 'load'; on: number; resultTag: boolean }
  | { kind: 'release'; which: number }
  | { kind: 'write'; on: number; how: 'tag' | 'key' | 'flush' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('load' as const), on: fc.nat(1), resultTag: fc.boolean() }),
  fc.record({ kind: fc.constant('release' as const), which: fc.nat(5) }),
  fc.record({
    kind: fc.constant('write' as const),
    on: fc.nat(1),
    how: fc.constantFrom('tag' as const, 'key' as const, 'flush' as const),
  }),
);

interface Running {
  /** Undefined for a call that joined a load already running on its instance. */
  gate: Deferred<void> | undefined;
  done: Promise<unknown>;
}

(available ? describe : describe.skip)('stale-load safety of the Redis second tier', () => {
  it('whatever the interleaving of loads and invalidations on two instances, the tier never holds a value older than the last write', async () => {
    const prefix = uniquePrefix();
    const nodes: HydraCache[] = [await l2Cache({ prefix }), await l2Cache({ prefix })];
    // Reads the tier cold: every run uses keys and tags of its own.
    const cold = await l2Cache({ prefix });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run++;
        const key = `k${run}`;
        const tag = `row${run}`;
        let db = 0;
        const running: Running[] = [];
        for (const s of steps) {
          if (s.kind === 'load') {
            const gate = deferred<void>();
            const started = deferred<void>();
            const loader = async (): Promise<{ v: number }> => {
              const seen = db; // the database as this load reads it
              started.resolve();
              await gate.promise;
              return { v: seen };
            };
            const options = s.resultTag
              ? { resultTags: () => tag, ttl: 60_000 }
              : { tags: [tag], ttl: 60_000 };
            const node = nodes[s.on]!;
            const joins = node.stats().singleFlightJoins;
            const done = node.getOrLoad(key, options, loader);
            if (node.stats().singleFlightJoins > joins) {
              running.push({ gate: undefined, done });
              continue;
            }
            running.push({ gate, done });
            // Until the loader reads the database (or the load hit L1 or the tier).
            await Promise.race([started.promise, done]);
          } else if (s.kind === 'release') {
            const load = running.splice(s.which % Math.max(running.length, 1), 1)[0];
            if (load?.gate === undefined) continue;
            load.gate.resolve();
            await load.done;
          } else {
            db++;
            const node = nodes[s.on]!;
            if (s.how === 'tag') await node.invalidateTag(tag);
            else if (s.how === 'key') await node.invalidateKey(key);
            else await node.flush();
          }
        }
        for (const load of running) load.gate?.resolve();
        await Promise.all(running.map((load) => load.done));
        // A cold instance reads the tier: a miss loads the database, a hit must be current.
        const read = await cold.getOrLoad(key, { tags: [tag] }, () => ({ v: db }));
        expect(read).toEqual({ v: db });
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
