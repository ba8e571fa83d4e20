import { describe, expect, it } from '@jest/globals';
import { IN_ORDER, SequenceTracker, type TrackerEvent } from '../../lib/redis/sequence-tracker.js';

const RUN = 'run-a';
const EPOCH = 'epoch-1';

/** A frame whose payload is its sequence number as text, so the events read back easily. */
interface TestFrame {
  seq: number;
  epoch: string;
  text: string;
}

function frame(seq: number, epoch = EPOCH): TestFrame {
  return { seq, epoch, text: String(seq) };
}

/** Feeds a frame, spelling the in-order shortcut out as the message event it stands for. */
function feed(tracker: SequenceTracker<TestFrame>, given: TestFrame): TrackerEvent<TestFrame>[] {
  const events = tracker.frame(given);
  return events === IN_ORDER ? [{ kind: 'message', frame: given }] : events;
}

function read(events: TrackerEvent<TestFrame>[]): string[] {
  return events.map((event) =>
    event.kind === 'message'
      ? event.frame.text
      : event.kind === 'connected'
        ? `connected(gap=${event.gap})`
        : event.kind,
  );
}

/** A tracker synced at counter `seq` (a first connect, so that one reports a gap). */
function liveAt(
  seq: number,
  tracker = new SequenceTracker<TestFrame>(),
  epoch = EPOCH,
): SequenceTracker<TestFrame> {
  tracker.subscribing();
  tracker.synced({ runId: RUN, epoch, seq });
  return tracker;
}

/** Drops the subscription and subscribes again, feeding `buffered` before the snapshot. */
function reconnect(
  tracker: SequenceTracker<TestFrame>,
  snapshot: { runId?: string; epoch?: string; seq: number },
  buffered: number[] = [],
): string[] {
  tracker.lost();
  tracker.subscribing();
  const held = buffered.flatMap((seq) => feed(tracker, frame(seq, snapshot.epoch)));
  expect(held).toEqual([]);
  return read(tracker.synced({ runId: RUN, epoch: EPOCH, ...snapshot }));
}

describe('SequenceTracker', () => {
  it('reports a gap on the first connect: nothing proves what was published before it', () => {
    const tracker = new SequenceTracker<TestFrame>();
    tracker.subscribing();
    expect(read(tracker.synced({ runId: RUN, epoch: EPOCH, seq: 0 }))).toEqual([
      'connected(gap=true)',
    ]);
  });

  it('delivers contiguous frames while live and reports a jump as a gap', () => {
    const tracker = liveAt(5);
    expect(read([...feed(tracker, frame(6)), ...feed(tracker, frame(7))])).toEqual(['6', '7']);
    expect(read(feed(tracker, frame(9)))).toEqual(['gap', '9']);
    expect(read(feed(tracker, frame(10)))).toEqual(['10']);
  });

  it('drops a number it already passed in the same epoch as a duplicate: no gap, not delivered', () => {
    const tracker = liveAt(5);
    expect(read(feed(tracker, frame(6)))).toEqual(['6']);
    expect(read(feed(tracker, frame(6)))).toEqual(['duplicate']);
    expect(read(feed(tracker, frame(2)))).toEqual(['duplicate']);
    expect(read(feed(tracker, frame(7)))).toEqual(['7']);
  });

  it("drops any frame of an older counter's epoch as a replay", () => {
    const tracker = liveAt(5, undefined, '1733000000.5');
    expect(read(feed(tracker, frame(9, '1732999999.999999')))).toEqual(['duplicate']);
    expect(read(feed(tracker, frame(6, '1733000000.5')))).toEqual(['6']);
  });

  it('reports a counter that started again (a newer epoch) as a gap, and follows the new one', () => {
    const tracker = liveAt(5, undefined, '1733000000.5');
    expect(read(feed(tracker, frame(1, '1733000000.600000')))).toEqual(['gap', '1']);
    expect(read(feed(tracker, frame(2, '1733000000.600000')))).toEqual(['2']);
    expect(read(feed(tracker, frame(5, '1733000000.5')))).toEqual(['duplicate']);
  });

  it('a jump over numbers that dropped frames claimed (while live, same epoch) is no gap', () => {
    const tracker = liveAt(5);
    tracker.claim(6, EPOCH);
    tracker.claim(7, EPOCH);
    expect(read(feed(tracker, frame(8)))).toEqual(['8']);
    tracker.claim(9, 'another-epoch');
    tracker.claim(8, EPOCH); // already passed
    expect(read(feed(tracker, frame(10)))).toEqual(['gap', '10']);
    tracker.claim(12, EPOCH);
    expect(read(feed(tracker, frame(13)))).toEqual(['gap', '13']); // 11 was never claimed
  });

  it('takes no claims while syncing: a reconnect they would cover is still a gap', () => {
    const tracker = liveAt(5);
    tracker.lost();
    tracker.subscribing();
    tracker.claim(6, EPOCH);
    feed(tracker, frame(7));
    expect(read(tracker.synced({ runId: RUN, epoch: EPOCH, seq: 7 }))).toEqual([
      'connected(gap=true)',
      '7',
    ]);
  });

  it('a duplicate in the reconnect buffer does not turn a covered reconnect into a gap', () => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, { seq: 7 }, [6, 6, 5, 7])).toEqual([
      'connected(gap=false)',
      '6',
      'duplicate',
      'duplicate',
      '7',
    ]);
  });

  it('delivers a number up to the snapshot once after a gap, however often it was buffered', () => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, { seq: 8 }, [8, 8, 9])).toEqual([
      'connected(gap=true)',
      '8',
      'duplicate',
      '9',
    ]);
  });

  it('reconnects without a gap when the counter has not moved', () => {
    const tracker = liveAt(5);
    feed(tracker, frame(6));
    expect(reconnect(tracker, { seq: 6 })).toEqual(['connected(gap=false)']);
  });

  it('reconnects without a gap when every message up to the snapshot arrived after the subscribe', () => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, { seq: 7 }, [6, 7, 8])).toEqual([
      'connected(gap=false)',
      '6',
      '7',
      '8',
    ]);
    expect(read(feed(tracker, frame(9)))).toEqual(['9']);
  });

  it('reports a gap when a message up to the snapshot is missing, and still delivers what came', () => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, { seq: 8 }, [7, 8, 9])).toEqual([
      'connected(gap=true)',
      '7',
      '8',
      '9',
    ]);
    expect(read(feed(tracker, frame(10)))).toEqual(['10']);
  });

  it('checks frames after the snapshot against it once a gap was reported', () => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, { seq: 8 }, [10])).toEqual(['connected(gap=true)', 'gap', '10']);
  });

  it.each([
    ['another server run (a restart)', { runId: 'run-b', seq: 5 }],
    ['another counter epoch (key flushed or evicted)', { epoch: 'epoch-2', seq: 5 }],
    ['a counter below the last delivered number', { seq: 3 }],
  ])('reports a gap after %s', (_what, snapshot) => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, snapshot)).toEqual(['connected(gap=true)']);
  });

  it('a restarted counter that climbed past the old number is still a gap', () => {
    const tracker = liveAt(5);
    expect(reconnect(tracker, { epoch: 'epoch-2', seq: 7 }, [6, 7])).toEqual([
      'connected(gap=true)',
      '6',
      '7',
    ]);
  });

  it('beyond its buffer bound drops the buffer and reports a gap past everything it saw', () => {
    const tracker = liveAt(5, new SequenceTracker<TestFrame>(2));
    expect(reconnect(tracker, { seq: 6 }, [6, 7, 8, 9])).toEqual(['connected(gap=true)']);
    expect(read(feed(tracker, frame(10)))).toEqual(['10']);
  });

  it('ignores frames while down and a snapshot that arrives without a pending subscribe', () => {
    const tracker = liveAt(5);
    tracker.lost();
    expect(feed(tracker, frame(6))).toEqual([]);
    expect(tracker.synced({ runId: RUN, epoch: EPOCH, seq: 6 })).toEqual([]);
    expect(tracker.live).toBe(false);
  });
});
