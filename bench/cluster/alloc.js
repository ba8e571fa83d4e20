/**
 * `node --expose-gc bench/cluster/alloc.js [dist dir]` (after `npm run build`): what one
 * invalidation costs the bus in this process, without the network: bytes allocated and µs, on the
 * receive path (frame -> checks -> sequence -> cache) and on the publish path (`invalidateKey` on a
 * bus whose transport accepts at once, minus the same on a cache without a bus). Allocation is what
 * makes a receiver stop for a scavenge, and under CPU contention a scavenge takes tens of ms (see
 * RESULTS.md). The young generation is made large enough that nothing is collected while measuring.
 * Re-run with `--min-semi-space-size=128 --max-semi-space-size=128`.
 */
import { pathToFileURL } from 'node:url';

const dist = pathToFileURL(
  `${process.argv[2] ?? new URL('../../dist', import.meta.url).pathname}/`,
);
const load = (path) => import(new URL(path, dist).href);
const { HydraCache } = await load('index.js');
const { encodeBusPayload } = await load('core/bus/bus-wire.js');
const { encodeFrame } = await load('redis/redis-frame.js');
const tracker = await load('redis/sequence-tracker.js');
const intakeModule = await load('redis/frame-intake.js').catch(() => undefined);
const { decodeFrame } = await load('redis/redis-frame.js');
const { decodeBusPayload } = await load('core/bus/bus-wire.js');

const N = 20_000;
const ROUNDS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `step(i)` N times per round; median bytes and µs per step. */
async function measure(step) {
  const bytes = [];
  const micros = [];
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const heap = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await step(round * N + i);
    micros.push(Number(process.hrtime.bigint() - started) / N / 1000);
    bytes.push((process.memoryUsage().heapUsed - heap) / N);
  }
  return { bytes: median(bytes), micros: median(micros) };
}

/** A cache on a bus whose transport we drive by hand. */
function cacheOnHandBus() {
  const bus = { listener: undefined };
  const transport = {
    name: 'hand',
    start(listener) {
      bus.listener = listener;
      listener.connected({ gap: false });
    },
    publish: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return {
    cache: HydraCache.local()
      .bus(transport, { onWarn() {} })
      .build(),
    bus,
  };
}

// Receive: every frame as ioredis hands it over, in order, each removing one held key.
const receiver = cacheOnHandBus();
const sender = Buffer.alloc(16, 1);
const total = N * ROUNDS;
for (let i = 0; i < total; i++) await receiver.cache.getOrLoad(`key:${i}`, {}, () => 1);
const EPOCH = '1733000000.123456';
const frames = Array.from({ length: total }, (_, i) =>
  Buffer.from(
    encodeFrame.length >= 3
      ? encodeFrame(
          i + 1,
          EPOCH,
          encodeBusPayload(sender, i + 1, { type: 'keys', keys: [`key:${i}`] }),
        )
      : encodeFrame(i + 1, encodeBusPayload(sender, i + 1, { type: 'keys', keys: [`key:${i}`] })),
  ),
);
const channel = Buffer.from('hydracache:v1:hand');
let receive;
if (intakeModule) {
  // This branch's pipeline: FrameIntake -> SequenceTracker (IN_ORDER) -> listener.
  const intake = new intakeModule.FrameIntake(undefined);
  const seq = new tracker.SequenceTracker();
  seq.subscribing();
  seq.synced({ runId: 'r', epoch: EPOCH, seq: 0 });
  receive = (i) => {
    if (!channel.equals(channel)) return;
    const checked = intake.take(frames[i]);
    const events = seq.frame(checked);
    if (events === tracker.IN_ORDER)
      receiver.bus.listener.message(checked.payload, checked.decoded);
  };
} else {
  // The pipeline before: decodeFrame -> SequenceTracker events -> listener (which decodes).
  const seq = new tracker.SequenceTracker();
  seq.subscribing();
  seq.synced({ runId: 'r', epoch: EPOCH, seq: 0 });
  receive = (i) => {
    if (channel.toString() !== 'hydracache:v1:hand') return;
    for (const event of seq.frame(decodeFrame(frames[i])))
      if (event.kind === 'message') receiver.bus.listener.message(event.payload);
  };
}
void decodeBusPayload;
const received = await measure(receive);

// Publish: invalidateKey with a bus, minus without one.
const publisher = cacheOnHandBus().cache;
const plain = HydraCache.local().build();
const withBus = await measure((i) => publisher.invalidateKey(`key:${i}`));
const withoutBus = await measure((i) => plain.invalidateKey(`key:${i}`));

console.log(
  JSON.stringify({
    receiveBytes: Math.round(received.bytes),
    receiveMicros: +received.micros.toFixed(2),
    publishBusBytes: Math.round(withBus.bytes - withoutBus.bytes),
    publishBusMicros: +(withBus.micros - withoutBus.micros).toFixed(2),
  }),
);
process.exit(0);
