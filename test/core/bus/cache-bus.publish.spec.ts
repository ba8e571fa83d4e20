import { jest } from '@jest/globals';
import { CacheBus } from '../../../lib/core/bus/cache-bus.js';
import type { CacheBusOptions } from '../../../lib/core/bus/cache-bus.options.js';
import { RETRY_DELAY_MAX, RETRY_DELAY_MIN } from '../../../lib/core/bus/bus-publisher.js';
import { FakeTarget, ScriptedTransport } from '../../support/bus-fakes.js';
import { advance, installFakeClock, uninstallFakeClock } from '../../support/clock.js';
import { flushMicrotasks } from '../../support/deferred.js';

describe('CacheBus publishing', () => {
  let transport: ScriptedTransport;
  let bus: CacheBus;
  let warnings: string[];

  function connect(options: CacheBusOptions = {}): void {
    transport = new ScriptedTransport();
    warnings = [];
    bus = new CacheBus(transport, new FakeTarget(), {
      onWarn: (message) => warnings.push(message),
      ...options,
    });
    transport.listener.connected({ gap: false });
  }

  /** Tracks whether a promise settled, and how. */
  function track(promise: Promise<void>): { state: 'pending' | 'resolved' | 'rejected' } {
    const tracked = { state: 'pending' as 'pending' | 'resolved' | 'rejected' };
    promise.then(
      () => (tracked.state = 'resolved'),
      () => (tracked.state = 'rejected'),
    );
    return tracked;
  }

  beforeEach(() => installFakeClock());
  afterEach(async () => {
    await bus.close();
    uninstallFakeClock();
  });

  it('sends a message with the sender id and the next sequence number, and settles once accepted', async () => {
    connect();
    const first = track(bus.publish({ type: 'keys', keys: ['user:1'] }));
    await flushMicrotasks();
    expect(first.state).toBe('pending');
    transport.sent[0].result.resolve();
    await flushMicrotasks();
    expect(first.state).toBe('resolved');
    transport.autoAccept = true;
    await bus.publish({ type: 'tags', tags: ['users'] });
    expect(transport.sent.map((s) => [s.envelope.sender, s.envelope.seq])).toEqual([
      [bus.senderId, 1],
      [bus.senderId, 2],
    ]);
    expect(transport.messages()).toEqual([
      { type: 'keys', keys: ['user:1'] },
      { type: 'tags', tags: ['users'] },
    ]);
    expect(bus.stats()).toMatchObject({ published: 2, publishFailures: 0, retryQueueSize: 0 });
  });

  it('settles after publishTimeout when the transport hangs, and queues the message for retry', async () => {
    connect({ publishTimeout: 250 });
    const publish = track(bus.publish({ type: 'keys', keys: ['k'] }));
    advance(249);
    await flushMicrotasks();
    expect(publish.state).toBe('pending');
    advance(1);
    await flushMicrotasks();
    expect(publish.state).toBe('resolved');
    expect(bus.stats()).toMatchObject({ published: 0, publishFailures: 1, retryQueueSize: 1 });
    // A late answer of the timed-out send changes nothing and is not left unhandled.
    transport.sent[0].result.reject(new Error('late'));
    await flushMicrotasks();
    expect(bus.stats()).toMatchObject({ publishFailures: 1, retryQueueSize: 1 });
  });

  it('never rejects when the transport rejects or throws', async () => {
    connect();
    const rejected = track(bus.publish({ type: 'keys', keys: ['a'] }));
    transport.sent[0].result.reject(new Error('ECONNRESET'));
    await flushMicrotasks();
    expect(rejected.state).toBe('resolved');

    transport.publish = () => {
      throw new Error('broken transport');
    };
    await expect(bus.publish({ type: 'flush' })).resolves.toBeUndefined();
    expect(warnings).toEqual(['Publishing to the bus failed; retrying in the background.']);
  });

  it('queues every later message while the retry queue is non-empty, so none overtakes it', async () => {
    connect();
    void bus.publish({ type: 'keys', keys: ['a'] });
    transport.sent[0].result.reject(new Error('down'));
    await flushMicrotasks();
    await bus.publish({ type: 'keys', keys: ['b', 'a'] });
    await bus.publish({ type: 'tags', tags: ['users'] });
    expect(transport.sent).toHaveLength(1);
    expect(bus.stats().retryQueueSize).toBe(3); // a, b, users: coalesced
  });

  it('queues while disconnected and drains in one round on reconnect, numbering at send time', async () => {
    connect();
    transport.autoAccept = true;
    transport.listener.disconnected();
    await bus.publish({ type: 'keys', keys: ['a'] });
    await bus.publish({ type: 'tags', tags: ['t'] });
    await bus.publish({ type: 'keys', keys: ['b', 'a'] });
    expect(transport.sent).toHaveLength(0);
    transport.listener.connected({ gap: false });
    await flushMicrotasks();
    expect(transport.messages()).toEqual([
      { type: 'keys', keys: ['a', 'b'] },
      { type: 'tags', tags: ['t'] },
    ]);
    expect(transport.sent.map((s) => s.envelope.seq)).toEqual([1, 2]);
    expect(bus.stats()).toMatchObject({ retryQueueSize: 0, published: 2 });
  });

  it('lets a pending flush supersede everything else queued', async () => {
    connect();
    transport.autoAccept = true;
    transport.listener.disconnected();
    await bus.publish({ type: 'keys', keys: ['a'] });
    await bus.publish({ type: 'flush' });
    await bus.publish({ type: 'tags', tags: ['t'] });
    expect(bus.stats().retryQueueSize).toBe(1);
    transport.listener.connected({ gap: false });
    await flushMicrotasks();
    expect(transport.messages()).toEqual([{ type: 'flush' }]);
  });

  it('collapses into one flush beyond maxRetryItems', async () => {
    connect({ maxRetryItems: 3 });
    transport.autoAccept = true;
    transport.listener.disconnected();
    await bus.publish({ type: 'keys', keys: ['a', 'b'] });
    await bus.publish({ type: 'tags', tags: ['t'] });
    expect(bus.stats()).toMatchObject({ retryQueueSize: 3, retryQueueOverflows: 0 });
    await bus.publish({ type: 'keys', keys: ['c'] });
    expect(bus.stats()).toMatchObject({ retryQueueSize: 1, retryQueueOverflows: 1 });
    transport.listener.connected({ gap: false });
    await flushMicrotasks();
    expect(transport.messages()).toEqual([{ type: 'flush' }]);
  });

  it('retries on an unref’d timer with doubling, capped backoff while connected', async () => {
    connect();
    void bus.publish({ type: 'keys', keys: ['k'] });
    const attemptsAt: number[] = [];
    let elapsed = 0;
    const failEverything = async (): Promise<void> => {
      for (const s of transport.sent) s.result.reject(new Error('down'));
      await flushMicrotasks();
    };
    await failEverything();
    while (elapsed < 20_000) {
      const before = transport.sent.length;
      advance(50);
      elapsed += 50;
      await flushMicrotasks();
      if (transport.sent.length > before) attemptsAt.push(elapsed);
      await failEverything();
    }
    const gaps = attemptsAt.map((at, i) => at - (i === 0 ? 0 : attemptsAt[i - 1]));
    expect(gaps.slice(0, 6)).toEqual([100, 200, 400, 800, 1600, 3200]);
    expect(gaps.slice(6).every((gap) => gap === RETRY_DELAY_MAX)).toBe(true);
    expect(RETRY_DELAY_MIN).toBe(100);

    transport.autoAccept = true;
    await jest.advanceTimersByTimeAsync(RETRY_DELAY_MAX);
    expect(bus.stats().retryQueueSize).toBe(0);
    // Each retry took the next sequence number: they stay contiguous per sender.
    expect(transport.sent.map((s) => s.envelope.seq)).toEqual(transport.sent.map((_, i) => i + 1));
  });

  it('warns once per run of failures, again after a success', async () => {
    connect();
    transport.listener.disconnected();
    transport.autoAccept = false;
    void bus.publish({ type: 'keys', keys: ['a'] });
    transport.listener.connected({ gap: false }); // drains: fails
    transport.sent[0].result.reject(new Error('down'));
    await flushMicrotasks();
    advance(RETRY_DELAY_MIN * 2);
    await flushMicrotasks();
    transport.sent[1].result.reject(new Error('down'));
    await flushMicrotasks();
    expect(warnings).toHaveLength(1);
    transport.autoAccept = true;
    await jest.advanceTimersByTimeAsync(RETRY_DELAY_MAX);
    expect(bus.stats().retryQueueSize).toBe(0);
    transport.autoAccept = false;
    void bus.publish({ type: 'keys', keys: ['b'] });
    transport.sent.at(-1)!.result.reject(new Error('down again'));
    await flushMicrotasks();
    expect(warnings).toHaveLength(2);
  });

  it('publishes nothing once closed', async () => {
    connect();
    await bus.close();
    await expect(bus.publish({ type: 'flush' })).resolves.toBeUndefined();
    expect(transport.sent).toHaveLength(0);
  });

  it('ends a wait in flight at close', async () => {
    connect({ publishTimeout: 10_000 });
    const publish = track(bus.publish({ type: 'flush' }));
    await bus.close();
    await flushMicrotasks();
    expect(publish.state).toBe('resolved');
  });
});
