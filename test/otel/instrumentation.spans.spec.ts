import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { HydraCache } from '../../lib/index.js';
import { HydraCacheInstrumentation } from '../../lib/otel/index.js';
import { deferred } from '../support/deferred.js';
import { otelHarness, type OtelHarness } from '../support/otel-sdk.js';

describe('OpenTelemetry load spans', () => {
  let harness: OtelHarness;
  let instrumentation: HydraCacheInstrumentation;
  beforeEach(() => {
    harness = otelHarness();
  });
  afterEach(async () => {
    instrumentation.disable();
    await harness.shutdown();
  });

  function enable(options: ConstructorParameters<typeof HydraCacheInstrumentation>[0] = {}): void {
    instrumentation = new HydraCacheInstrumentation({
      tracerProvider: harness.tracerProvider,
      metrics: false,
      ...options,
    }).enable();
  }

  /** Runs `fn` with a new span `name` active, ending it after. */
  async function inSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const span = harness.tracerProvider.getTracer('test').startSpan(name);
    try {
      return await context.with(trace.setSpan(context.active(), span), fn);
    } finally {
      span.end();
    }
  }

  it('opens one span per load, a child of the caller that missed; joiners are linked, not duplicated', async () => {
    enable();
    const cache = new HydraCache({ name: 'traced' });
    const load = deferred<string>();
    const first = inSpan('request-a', () => cache.getOrLoad('user:1', {}, () => load.promise));
    const joiner = inSpan('request-b', () => cache.getOrLoad('user:1', {}, () => 'never'));
    load.resolve('Ada');
    await Promise.all([first, joiner]);
    await inSpan('request-c', () => cache.getOrLoad('user:1', {}, () => 'never')); // a hit: no span

    const spans = harness.finishedSpans();
    const loads = spans.filter((s) => s.name === 'hydracache.load');
    expect(loads).toHaveLength(1);
    const [span] = loads;
    const a = spans.find((s) => s.name === 'request-a')!;
    const b = spans.find((s) => s.name === 'request-b')!;
    expect(span!.parentSpanContext?.spanId).toBe(a.spanContext().spanId);
    expect(span!.spanContext().traceId).toBe(a.spanContext().traceId);
    expect(span!.attributes).toEqual({ 'cache.name': 'traced', 'cache.namespace': 'user' });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.links.map((l) => l.context.spanId)).toEqual([b.spanContext().spanId]);
    expect(b.links.map((l) => l.context.spanId)).toEqual([span!.spanContext().spanId]);
  });

  it("runs the loader with the load span active, so the loader's own spans nest under it", async () => {
    enable();
    const cache = new HydraCache({ name: 'traced' });
    const tracer = harness.tracerProvider.getTracer('test');
    await cache.getOrLoad('user:5', {}, async () => {
      await Promise.resolve();
      tracer.startSpan('db.query').end();
      return 1;
    });
    const spans = harness.finishedSpans();
    const load = spans.find((s) => s.name === 'hydracache.load')!;
    const query = spans.find((s) => s.name === 'db.query')!;
    expect(query.parentSpanContext?.spanId).toBe(load.spanContext().spanId);
  });

  it('marks a failed load span as an error with the exception', async () => {
    enable();
    const cache = new HydraCache({ name: 'traced' });
    await expect(
      inSpan('request', () =>
        cache.getOrLoad('user:2', {}, () => Promise.reject(new Error('db down'))),
      ),
    ).rejects.toThrow('db down');
    const span = harness.finishedSpans().find((s) => s.name === 'hydracache.load')!;
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'db down' });
    expect(span.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
      ['exception', 'db down'],
    ]);
  });

  it('puts the sanitized key on spans only when keyAttribute is given', async () => {
    enable({ keyAttribute: (key) => (key.startsWith('user:') ? 'user:{id}' : undefined) });
    const cache = new HydraCache({ name: 'traced' });
    await cache.getOrLoad('user:3', {}, () => 1);
    await cache.getOrLoad('secret', {}, () => 1);
    const attributes = harness
      .finishedSpans()
      .filter((s) => s.name === 'hydracache.load')
      .map((s) => s.attributes);
    expect(attributes).toEqual([
      { 'cache.name': 'traced', 'cache.namespace': 'user', 'cache.key': 'user:{id}' },
      { 'cache.name': 'traced' },
    ]);
  });

  it('ends a load span still open when disabled, so no span leaks', async () => {
    enable();
    const cache = new HydraCache({ name: 'traced' });
    const load = deferred<number>();
    const pending = cache.getOrLoad('user:4', {}, () => load.promise);
    instrumentation.disable();
    expect(harness.finishedSpans().map((s) => s.name)).toEqual(['hydracache.load']);
    load.resolve(1);
    await expect(pending).resolves.toBe(1);
  });
});
