import { subscribe, unsubscribe, type TracingChannelSubscribers } from 'node:diagnostics_channel';
import { metrics, trace, type Attributes } from '@opentelemetry/api';
import {
  CACHE_CHANNELS,
  loadChannel,
  type BusEvent,
  type L2Event,
  type CacheKeyEvent,
  type InvalidationEvent,
  type LoadEvent,
} from '../core/cache-events.js';
import type { HydraCache } from '../core/hydra-cache.js';
import {
  resolveInstrumentationOptions,
  type HydraCacheInstrumentationOptions,
  type ResolvedInstrumentationOptions,
} from './instrumentation.options.js';
import { LoadSpans } from './load-spans.js';
import { CacheMeters } from './cache-meters.js';
import { ATTRIBUTES, INSTRUMENTATION_SCOPE } from './otel-names.js';

type Handler = (message: unknown) => void;

/** For the tracing channel's events this bridge does not use (the types ask for all five). */
const ignore = (): void => undefined;

/**
 * The OpenTelemetry bridge: subscribes to the cache's diagnostics channels and records metrics
 * and load spans through `@opentelemetry/api` (the application brings the SDK). Nothing is
 * recorded, and the cache pays nothing, until {@link enable}. One per process and provider is
 * enough: it sees every cache (or those named in `cacheNames`).
 */
export class HydraCacheInstrumentation {
  readonly #options: ResolvedInstrumentationOptions;
  readonly #meters: CacheMeters | undefined;
  readonly #spans: LoadSpans | undefined;
  readonly #handlers: Array<[channel: string, handler: Handler]> = [];
  readonly #loadHandlers: TracingChannelSubscribers<LoadEvent>;
  #enabled = false;

  /** Builds the instruments; throws `E_INVALID_OPTION` for a bad option. Call {@link enable} to start. */
  constructor(options: HydraCacheInstrumentationOptions = {}) {
    const o = (this.#options = resolveInstrumentationOptions(options));
    const attributesOf = (event: CacheKeyEvent, withKey: boolean): Attributes =>
      this.#attributes(event, withKey);
    this.#meters = o.metrics
      ? new CacheMeters(
          (o.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE),
          attributesOf,
          (event) => this.#attributeSetId(event),
        )
      : undefined;
    this.#spans = o.tracing
      ? new LoadSpans(
          (o.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE),
          attributesOf,
        )
      : undefined;
    this.#loadHandlers = {
      end: ignore,
      asyncStart: ignore,
      error: ignore,
      start: (event) => {
        if (!this.#wanted(event)) return;
        this.#meters?.loadStarted(event);
        this.#spans?.started(event);
      },
      asyncEnd: (event) => {
        if (!this.#wanted(event)) return;
        this.#meters?.loadEnded(event);
        this.#spans?.ended(event);
      },
    };
  }

  /** Whether it is recording. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Starts recording (subscribes to the channels). Safe to call twice. */
  enable(): this {
    if (this.#enabled) return this;
    this.#enabled = true;
    const m = this.#meters;
    const spans = this.#spans;
    this.#on(CACHE_CHANNELS.hit, (e: CacheKeyEvent) => m?.got(e, 'hit'));
    this.#on(CACHE_CHANNELS.miss, (e: CacheKeyEvent) => m?.got(e, 'miss'));
    this.#on(CACHE_CHANNELS.stale, (e: CacheKeyEvent) => m?.got(e, 'stale'));
    this.#on(CACHE_CHANNELS.join, (e: CacheKeyEvent) => {
      m?.joined(e);
      spans?.joined(e);
    });
    this.#on(CACHE_CHANNELS.staleDiscard, (e: CacheKeyEvent) => m?.staleDiscarded(e));
    this.#on(CACHE_CHANNELS.eviction, (e: CacheKeyEvent) => m?.evicted(e));
    this.#on(CACHE_CHANNELS.invalidation, (e: InvalidationEvent) => m?.invalidated(e));
    this.#on(CACHE_CHANNELS.bus, (e: BusEvent) => m?.busEvent(e));
    this.#on(CACHE_CHANNELS.l2, (e: L2Event) => m?.l2Event(e));
    loadChannel.subscribe(this.#loadHandlers);
    return this;
  }

  /** Stops recording and ends any load span still open. Totals recorded so far stay exported. */
  disable(): void {
    if (!this.#enabled) return;
    this.#enabled = false;
    for (const [channel, handler] of this.#handlers.splice(0)) unsubscribe(channel, handler);
    loadChannel.unsubscribe(this.#loadHandlers);
    this.#spans?.endAll();
    this.#meters?.clearRunning();
  }

  /** Reports `cache`'s size and capacity as gauges (`hydracache.cache.size`, `.capacity`). */
  observe(cache: HydraCache): this {
    this.#meters?.observe(cache);
    return this;
  }

  /** Stops reporting `cache`'s gauges (call it when the cache closes). */
  unobserve(cache: HydraCache): void {
    this.#meters?.unobserve(cache);
  }

  #on<E extends { readonly cache: string }>(channel: string, handle: (event: E) => void): void {
    const handler: Handler = (message) => {
      if (this.#wanted(message as E)) handle(message as E);
    };
    subscribe(channel, handler);
    this.#handlers.push([channel, handler]);
  }

  #wanted(event: { readonly cache: string }): boolean {
    return this.#options.cacheNames?.has(event.cache) ?? true;
  }

  /**
   * Within a cache, equal for two events exactly when {@link #attributes} gives them equal
   * attributes. Without a key attribute that is the namespace itself: no string is built per hit.
   */
  #attributeSetId(event: CacheKeyEvent): string | undefined {
    const o = this.#options;
    const namespace = o.namespaceAttribute ? event.namespace : undefined;
    if (o.keyAttribute === undefined) return namespace;
    return `${namespace ?? '\u0001'}\u0000${o.keyAttribute(event.key) ?? '\u0001'}`;
  }

  #attributes(event: CacheKeyEvent, withKey: boolean): Attributes {
    const attributes: Attributes = { [ATTRIBUTES.cacheName]: event.cache };
    if (this.#options.namespaceAttribute && event.namespace !== undefined) {
      attributes[ATTRIBUTES.namespace] = event.namespace;
    }
    const key = withKey ? this.#options.keyAttribute?.(event.key) : undefined;
    if (key !== undefined) attributes[ATTRIBUTES.key] = key;
    return attributes;
  }
}
