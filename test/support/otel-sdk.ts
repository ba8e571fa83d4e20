import { AsyncLocalStorage } from 'node:async_hooks';
import { context, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/**
 * An AsyncLocalStorage context manager (what @opentelemetry/context-async-hooks provides), so
 * that `context.with()` makes a span active across awaits in tests.
 */
class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    return ((...args: unknown[]) => this.with(ctx, target as never, undefined, ...args)) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

/** A manual metric reader: `collect()` when the test wants the numbers. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One recorded data point: its attributes and value (a histogram's count and sum). */
export interface Point {
  readonly attributes: Record<string, unknown>;
  readonly value: number | { count: number; sum: number };
}

/** Real SDK objects for a test: a meter provider with a manual reader, a tracer with an in-memory exporter. */
export interface OtelHarness {
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: BasicTracerProvider;
  readonly spans: InMemorySpanExporter;
  /** Collects the metrics now: name -> data points. */
  collect(): Promise<Map<string, { unit: string; type: string; points: Point[] }>>;
  /** The finished spans. */
  finishedSpans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

/** Builds an {@link OtelHarness} and installs the async context manager globally. */
export function otelHarness(): OtelHarness {
  const manager = new AlsContextManager();
  context.setGlobalContextManager(manager);
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  return {
    meterProvider,
    tracerProvider,
    spans,
    async collect() {
      const { resourceMetrics } = await reader.collect();
      const out = new Map<string, { unit: string; type: string; points: Point[] }>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          const points = (metric.dataPoints as DataPoint<number | Histogram>[]).map((p) => ({
            attributes: { ...p.attributes },
            value:
              typeof p.value === 'number'
                ? p.value
                : { count: p.value.count, sum: p.value.sum ?? 0 },
          }));
          out.set(metric.descriptor.name, {
            unit: metric.descriptor.unit,
            type: DataPointType[metric.dataPointType],
            points,
          });
        }
      }
      return out;
    },
    finishedSpans: () => spans.getFinishedSpans(),
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      context.disable();
    },
  };
}
