import {
  EVERY_TAG,
  InFlightLoads,
  MAX_DETACHED,
  MAX_RECORDED_TAGS,
  invalidatedDuring,
  joinsLate,
  type Flight,
} from '../../lib/core/in-flight.js';

function flight(key: string, tags: string[] = [], resultTags = false): Flight {
  return {
    key,
    tags,
    stale: false,
    invalidatedTags: resultTags ? new Set() : undefined,
    promise: Promise.resolve({ key, data: undefined }),
    shared: undefined,
    timer: undefined,
  };
}

describe('InFlightLoads', () => {
  it('lets callers join a load until it finishes, and forgets it then', () => {
    const loads = new InFlightLoads();
    const f = flight('a');
    loads.add(f);
    expect(loads.get('a')).toBe(f);
    expect(loads.size).toBe(1);
    loads.finish(f);
    expect(loads.get('a')).toBeUndefined();
    expect(loads.size).toBe(0);
  });

  it('a finishing load leaves a newer load of its key in place', () => {
    const loads = new InFlightLoads();
    const old = flight('a');
    loads.add(old);
    loads.supersede('a');
    const newer = flight('a');
    loads.add(newer);
    loads.finish(old);
    expect(loads.get('a')).toBe(newer);
  });

  it('supersede marks the load stale and stops new callers joining it', () => {
    const loads = new InFlightLoads();
    const f = flight('a');
    loads.add(f);
    loads.supersede('a');
    expect(f.stale).toBe(true);
    expect(loads.get('a')).toBeUndefined();
  });

  it('a tag supersedes the loads that declared it, and only those', () => {
    const loads = new InFlightLoads();
    const tagged = flight('a', ['users']);
    const other = flight('b', ['orders']);
    loads.add(tagged);
    loads.add(other);
    loads.tagInvalidated('users');
    expect([tagged.stale, other.stale]).toEqual([true, false]);
    expect(loads.size).toBe(1);
  });

  it('records invalidated tags for loads with result tags until they finish', () => {
    const loads = new InFlightLoads();
    const f = flight('a', [], true);
    loads.add(f);
    loads.tagInvalidated('user:1');
    expect(invalidatedDuring(f, ['user:1'])).toBe(true);
    expect(invalidatedDuring(f, ['user:2'])).toBe(false);
    expect(loads.recordedTags).toBe(1);
    loads.finish(f);
    expect(loads.recordedTags).toBe(0);
  });

  it('forgets a superseded load at once, its record frozen for the callers that joined it', () => {
    const loads = new InFlightLoads();
    const f = flight('a', [], true);
    loads.add(f);
    expect(joinsLate(f)).toBe(false);
    loads.tagInvalidated('user:1');
    expect(joinsLate(f)).toBe(true);
    loads.supersede('a');
    loads.tagInvalidated('user:2');
    expect(loads.recordedTags).toBe(0);
    expect(invalidatedDuring(f, ['user:1'])).toBe(true);
    // Stale anyway: what is invalidated after the supersede no longer matters to it.
    expect(invalidatedDuring(f, ['user:2'])).toBe(false);
  });

  it('forgets released loads that an invalidation or a flush made stale', () => {
    const loads = new InFlightLoads();
    const byKey = flight('a', [], true);
    const byTag = flight('b', ['users'], true);
    const byFlush = flight('c', [], true);
    for (const f of [byKey, byTag, byFlush]) {
      loads.add(f);
      loads.detach(f);
    }
    loads.tagInvalidated('x');
    expect(loads.recordedTags).toBe(3);
    loads.supersede('a');
    loads.tagInvalidated('users');
    expect([byKey.stale, byTag.stale, byFlush.stale]).toEqual([true, true, false]);
    // byFlush recorded both tags; byKey and byTag are forgotten.
    expect(loads.recordedTags).toBe(2);
    loads.supersedeAll();
    expect(byFlush.stale).toBe(true);
    expect(loads.recordedTags).toBe(0);
  });

  it('caps each record: past the cap every tag counts as invalidated', () => {
    const loads = new InFlightLoads();
    const f = flight('a', [], true);
    loads.add(f);
    for (let i = 0; i <= MAX_RECORDED_TAGS; i++) loads.tagInvalidated(`t${i}`);
    expect(f.invalidatedTags).toBe(EVERY_TAG);
    expect(loads.recordedTags).toBe(1);
    expect(invalidatedDuring(f, ['never-invalidated'])).toBe(true);
  });

  it('a flush supersedes every load, joinable or released, and records no tag', () => {
    const loads = new InFlightLoads();
    const a = flight('a', [], true);
    const b = flight('b');
    loads.add(a);
    loads.add(b);
    loads.detach(b);
    loads.supersedeAll();
    expect([a.stale, b.stale]).toEqual([true, true]);
    expect(loads.size).toBe(0);
    expect(invalidatedDuring(a, ['x'])).toBe(false);
  });

  it('a released load stays superseded by its key and tags, and at most MAX_DETACHED are kept', () => {
    const loads = new InFlightLoads();
    const released = flight('a', ['users']);
    loads.add(released);
    loads.detach(released);
    expect(loads.has('a')).toBe(false);
    loads.supersede('a');
    expect(released.stale).toBe(true);

    const first = flight('k0');
    loads.add(first);
    loads.detach(first);
    for (let i = 1; i <= MAX_DETACHED; i++) {
      const f = flight(`k${i}`);
      loads.add(f);
      loads.detach(f);
    }
    // The oldest released load was dropped, and marked stale so it can never store.
    expect(first.stale).toBe(true);
  });
});
