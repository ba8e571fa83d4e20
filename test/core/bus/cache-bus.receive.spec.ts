import { Encoder } from 'cbor-x';
import { encodeBusPayload } from '../../../lib/core/bus/bus-wire.js';
import { CacheBus } from '../../../lib/core/bus/cache-bus.js';
import { FakeTarget, ScriptedTransport } from '../../support/bus-fakes.js';

const OTHER = new Uint8Array(16).fill(7);
const cbor = new Encoder({ useRecords: false, tagUint8Array: false });

describe('CacheBus receiving', () => {
  let transport: ScriptedTransport;
  let target: FakeTarget;
  let bus: CacheBus;
  let warnings: string[];

  beforeEach(() => {
    transport = new ScriptedTransport();
    target = new FakeTarget();
    warnings = [];
    bus = new CacheBus(transport, target, { onWarn: (message) => warnings.push(message) });
    transport.listener.connected({ gap: false });
  });
  afterEach(() => bus.close());

  it("applies other instances' messages to the local cache, in arrival order", () => {
    transport.listener.message(encodeBusPayload(OTHER, 1, { type: 'tags', tags: ['users'] }));
    transport.listener.message(encodeBusPayload(OTHER, 2, { type: 'keys', keys: ['user:1'] }));
    transport.listener.message(encodeBusPayload(OTHER, 3, { type: 'flush' }));
    expect(target.applied).toEqual([
      { type: 'tags', tags: ['users'] },
      { type: 'keys', keys: ['user:1'] },
      { type: 'flush' },
    ]);
    expect(bus.stats()).toMatchObject({ received: 3, applied: 3, ignoredOwn: 0 });
  });

  it('ignores its own messages echoed back by the transport', async () => {
    transport.autoAccept = true;
    await bus.publish({ type: 'keys', keys: ['k'] });
    const own = encodeBusPayload(Buffer.from(bus.senderId, 'hex'), 1, {
      type: 'keys',
      keys: ['k'],
    });
    transport.listener.message(own);
    expect(target.applied).toEqual([]);
    expect(bus.stats()).toMatchObject({ received: 1, applied: 0, ignoredOwn: 1 });
  });

  it('gives every bus its own random sender id', () => {
    const other = new CacheBus(new ScriptedTransport(), new FakeTarget());
    expect(bus.senderId).toMatch(/^[0-9a-f]{32}$/);
    expect(other.senderId).not.toBe(bus.senderId);
    void other.close();
  });

  it('counts garbage on the channel, warns once, and never applies or flushes anything', () => {
    target.size = 5;
    for (const garbage of ['ff', '00', '8401', 'a16474797065656c75736800']) {
      transport.listener.message(new Uint8Array(Buffer.from(garbage, 'hex')));
    }
    transport.listener.message(new TextEncoder().encode('FLUSHALL'));
    expect(target.applied).toEqual([]);
    expect(target.size).toBe(5);
    expect(bus.stats()).toMatchObject({ received: 5, malformed: 5, applied: 0, resyncs: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Ignored a malformed bus message/);
  });

  it('counts messages of a newer wire version, warns once naming it, and never applies them', () => {
    target.size = 5;
    transport.listener.message(new Uint8Array(cbor.encode([2, OTHER, 1, 2])));
    transport.listener.message(new Uint8Array(cbor.encode([2, OTHER, 2, 0, ['k']])));
    expect(target.applied).toEqual([]);
    expect(bus.stats()).toMatchObject({ received: 2, unknownVersion: 2, malformed: 0 });
    expect(warnings).toEqual([expect.stringContaining('wire version 2')]);
  });

  it('keeps going when applying a message throws, and warns', () => {
    target.applyLocally = () => {
      throw new Error('cache bug');
    };
    expect(() =>
      transport.listener.message(encodeBusPayload(OTHER, 1, { type: 'flush' })),
    ).not.toThrow();
    expect(warnings).toEqual(['The cache bus failed to handle a transport event.']);
  });

  it('passes transport warnings on', () => {
    transport.listener.warn('Redis is unreachable at 127.0.0.1:6379', new Error('ECONNREFUSED'));
    expect(warnings).toEqual(['Redis is unreachable at 127.0.0.1:6379']);
  });

  it('ignores everything the transport reports after close', async () => {
    await bus.close();
    transport.listener.message(encodeBusPayload(OTHER, 1, { type: 'flush' }));
    transport.listener.gap();
    expect(target.applied).toEqual([]);
    expect(bus.stats()).toMatchObject({ received: 0, gapsDetected: 0 });
  });
});
