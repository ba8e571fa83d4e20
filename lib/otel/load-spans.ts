import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { CacheKeyEvent, LoadEvent } from '../core/cache-events.js';
import { LOAD_SPAN_NAME } from './otel-names.js';

/**
 * One span per loader run, a child of the span active where the load started (the caller that
 * missed). Callers that join the running load get no span of their own: the load's span links
 * to each joiner's active span and each joiner's span links back, so both traces lead to the one
 * load. Both maps hold only loads that are running (bounded by them).
 */
export class LoadSpans {
  readonly #spans = new Map<LoadEvent, Span>();
  /** The span of the newest running load per cache and key, for joiners to link to. */
  readonly #running = new Map<string, Span>();

  constructor(
    private readonly tracer: Tracer,
    private readonly attributesOf: (event: CacheKeyEvent, withKey: boolean) => Attributes,
  ) {}

  /** A load started: opens its span under the caller's active context. */
  started(event: LoadEvent): void {
    const span = this.tracer.startSpan(
      LOAD_SPAN_NAME,
      { kind: SpanKind.INTERNAL, attributes: this.attributesOf(event, true) },
      context.active(),
    );
    this.#spans.set(event, span);
    // The loader runs with the load span active: what it traces (a query) nests under it.
    const active = trace.setSpan(context.active(), span);
    event.around = (loader) => context.with(active, loader);
    this.#running.set(runningId(event), span);
  }

  /** A caller joined the running load of its key: links the two spans both ways. */
  joined(event: CacheKeyEvent): void {
    const load = this.#running.get(runningId(event));
    const joiner = trace.getActiveSpan();
    if (load === undefined || joiner === undefined) return;
    load.addLink({ context: joiner.spanContext(), attributes: { 'hydracache.link': 'joiner' } });
    joiner.addLink({ context: load.spanContext(), attributes: { 'hydracache.link': 'load' } });
  }

  /** A load settled: ends its span, marking it failed when the loader threw or rejected. */
  ended(event: LoadEvent): void {
    const span = this.#spans.get(event);
    if (span === undefined) return;
    this.#spans.delete(event);
    const id = runningId(event);
    if (this.#running.get(id) === span) this.#running.delete(id);
    if ('error' in event) {
      if (event.error instanceof Error) span.recordException(event.error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(event.error) });
    }
    span.end();
  }

  /** Ends every open span (at disable): no span stays open once the bridge is off. */
  endAll(): void {
    for (const span of this.#spans.values()) span.end();
    this.#spans.clear();
    this.#running.clear();
  }
}

function runningId(event: CacheKeyEvent): string {
  return `${event.cache}\u0000${event.key}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
