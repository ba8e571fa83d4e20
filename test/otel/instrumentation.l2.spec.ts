import { HydraCache } from '../../lib/index.js';
import { HydraCacheInstrumentation } from '../../lib/otel/index.js';
import { MemoryTier } from '../support/memory-tier.js';
import { otelHarness, type OtelHarness } from '../support/otel-sdk.js';

describe('OpenTelemetry metrics of a second tier', () => {
  let harness: OtelHarness;
  let instrumentation: HydraCacheInstrumentation;
  beforeEach(() => {
    harness = otelHarness();
  });
  afterEach(async () => {
    instrumentation.disable();
    await harness.shutdown();
  });

  it('counts second-tier events by event', async () => {
    instrumentation = new HydraCacheInstrumentation({
      meterProvider: harness.meterProvider,
      tracing: false,
    }).enable();
    const tier = new MemoryTier();
    const a = new HydraCache({ name: 'shop', l2: tier });
    const b = new HydraCache({ name: 'shop', l2: tier });
    await a.getOrLoad('user:1', {}, () => 1); // miss, fill
    await b.getOrLoad('user:1', {}, () => 2); // hit
    tier.failing = true;
    await b.getOrLoad('user:2', {}, () => 3); // error
    const points = (await harness.collect()).get('hydracache.l2.events')!.points;
    const count = (event: string): number | undefined =>
      points.find((p) => p.attributes['l2.event'] === event)?.value as number | undefined;
    expect([count('miss'), count('fill'), count('hit'), count('error')]).toEqual([1, 1, 1, 1]);
    expect(points.every((p) => p.attributes['cache.name'] === 'shop')).toBe(true);
  });
});
