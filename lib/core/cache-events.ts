import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { BusMessage } from './bus/bus-message.types.js';

/**
 * What the cache reports as it works, as data on `node:diagnostics_channel`: anything in the
 * process (the OpenTelemetry bridge in `@hydracache/nestjs/otel`, an APM agent, a test) can
 * subscribe. Every site in the core is guarded by `hasSubscribers`, so with no subscriber nothing
 * is built or published. Messages carry the raw key for in-process subscribers; exporters must
 * not put it on metrics (unbounded cardinality), which is why each also carries its namespace.
 */

/** The names of the channels the cache publishes on. */
export const CACHE_CHANNELS = Object.freeze({
  /** A read served from the cache: {@link CacheKeyEvent}. */
  hit: 'hydracache:hit',
  /** A read that found no usable entry: {@link CacheKeyEvent}. */
  miss: 'hydracache:miss',
  /** A get-or-load answered with an entry past its TTL, within grace (a refresh or fail-safe): {@link CacheKeyEvent}. */
  stale: 'hydracache:stale',
  /** A caller joined a load of its key already running: {@link CacheKeyEvent}. */
  join: 'hydracache:join',
  /** A load's result was not stored because an invalidation overtook it: {@link CacheKeyEvent}. */
  staleDiscard: 'hydracache:stale-discard',
  /** An entry pushed out to respect `maxCapacity`: {@link CacheKeyEvent}. */
  eviction: 'hydracache:eviction',
  /** Keys, tags or everything invalidated, here or by another instance: {@link InvalidationEvent}. */
  invalidation: 'hydracache:invalidation',
  /** The bus's connection state and failures: {@link BusEvent}. */
  bus: 'hydracache:bus',
  /** The second tier's answers, failures and trust (`l2` setting): {@link L2Event}. */
  l2: 'hydracache:l2',
  /**
   * Loader runs, a TracingChannel (`tracing:hydracache:load:start`, `:end`, `:asyncStart`,
   * `:asyncEnd`, `:error`); its context is a {@link LoadEvent}.
   */
  load: 'hydracache:load',
});

/** An event about one key. */
export interface CacheKeyEvent {
  /** The cache's `name` setting (default `'default'`). */
  readonly cache: string;
  /** The key's namespace (see {@link keyNamespace}), or undefined when it has none. */
  readonly namespace: string | undefined;
  /** The full key. High cardinality: never a metric attribute unless the user opts in. */
  readonly key: string;
}

/** The context of one loader run on the `hydracache:load` tracing channel. */
export interface LoadEvent extends CacheKeyEvent {
  /** The loader's value, set before `asyncStart` when it resolved. */
  result?: unknown;
  /** The loader's error, set before `error` when it threw or rejected. */
  error?: unknown;
  /**
   * A `start` subscriber may set it to run the loader inside a context of its own (the
   * OpenTelemetry bridge makes the load span active, so the loader's own spans nest under it).
   * It must call `loader` once, synchronously, and return what it returns. One per load.
   */
  around?: <T>(loader: () => T) => T;
  /** Free for subscribers to keep their per-load state on (a span, a start time). */
  [extra: string]: unknown;
}

/** An invalidation, applied to this instance. */
export interface InvalidationEvent {
  /** The cache's `name` setting. */
  readonly cache: string;
  /** What was invalidated: keys, tags, everything (a flush), or keys or tags marked stale (expired). */
  readonly kind: 'keys' | 'tags' | 'flush' | 'expireKeys' | 'expireTags';
  /** `local` when this instance asked for it, `remote` when it came over the bus (resyncs included) or from a source of changes. */
  readonly origin: 'local' | 'remote';
  /** How many keys or tags it named (1 for a flush). */
  readonly count: number;
  /** Live entries it removed, or expired (0 for a flush, which counts none). */
  readonly removed: number;
}

/** Something that happened to a cache's bus. */
export interface BusEvent {
  /** The cache's `name` setting. */
  readonly cache: string;
  /** The transport's name, e.g. `redis` or `memory`. */
  readonly transport: string;
  /**
   * `connected`, `disconnected`, `gap` (messages may have been missed), `resync` (the local
   * cache was dropped for it), `outage-flush` (an outage lasted `disconnectedTtl`) or
   * `publish-failure` (a send failed and went to the retry queue).
   */
  readonly event: BusEventName;
}

/** The kinds of {@link BusEvent}. */
export type BusEventName =
  'connected' | 'disconnected' | 'gap' | 'resync' | 'outage-flush' | 'publish-failure';

/** Something the second tier (`l2` setting) did or suffered. */
export interface L2Event {
  /** The cache's `name` setting. */
  readonly cache: string;
  readonly event: L2EventName;
  /** How long the call took in ms (calls to the tier only). */
  readonly durationMs?: number;
}

/**
 * The kinds of {@link L2Event}: `hit`, `miss`, `fill`, `refused-fill` (a version changed during the
 * load, or its lease lapsed), `write` (a put), `error` and `timeout` (a call failed; the cache
 * went on without the tier), `untrusted` (an invalidation could not reach it: not read until
 * replayed), `trusted` (replayed), `abandoned` (closed before the replay succeeded) and
 * `start-flush` (a source started and no other instance vouched for the tier in time: flushed).
 */
export type L2EventName =
  | 'hit'
  | 'miss'
  | 'fill'
  | 'refused-fill'
  | 'write'
  | 'error'
  | 'timeout'
  | 'untrusted'
  | 'trusted'
  | 'abandoned'
  | 'start-flush';

/** Channel objects; exported for the core's guarded publish sites. */
export const hitChannel = channel(CACHE_CHANNELS.hit);
/** @see CACHE_CHANNELS.miss */
export const missChannel = channel(CACHE_CHANNELS.miss);
/** @see CACHE_CHANNELS.stale */
export const staleChannel = channel(CACHE_CHANNELS.stale);
/** @see CACHE_CHANNELS.join */
export const joinChannel = channel(CACHE_CHANNELS.join);
/** @see CACHE_CHANNELS.staleDiscard */
export const staleDiscardChannel = channel(CACHE_CHANNELS.staleDiscard);
/** @see CACHE_CHANNELS.eviction */
export const evictionChannel = channel(CACHE_CHANNELS.eviction);
/** @see CACHE_CHANNELS.invalidation */
export const invalidationChannel = channel(CACHE_CHANNELS.invalidation);
/** @see CACHE_CHANNELS.bus */
export const busChannel = channel(CACHE_CHANNELS.bus);
/** @see CACHE_CHANNELS.l2 */
export const l2Channel = channel(CACHE_CHANNELS.l2);
/** @see CACHE_CHANNELS.load */
export const loadChannel = tracingChannel<unknown, LoadEvent>(CACHE_CHANNELS.load);

/**
 * The namespace of `key`: the text before its first `:` (`user` for `user:42`, `users` for a
 * TypedCache `users` key), or undefined for a key without `:`. Keys built with CacheKeyBuilder
 * escape `:` inside segments, so the namespace is always the first segment.
 */
export function keyNamespace(key: string): string | undefined {
  const end = key.indexOf(':');
  return end === -1 ? undefined : key.slice(0, end);
}

/** Publishes a {@link CacheKeyEvent} on `target` (call only when it has subscribers). */
export function publishKeyEvent(
  target: { publish(message: unknown): void },
  cache: string,
  key: string,
): void {
  target.publish({ cache, namespace: keyNamespace(key), key } satisfies CacheKeyEvent);
}

/** Publishes an {@link InvalidationEvent} for `message` (call only when subscribed). */
export function publishInvalidation(
  cache: string,
  message: InvalidationMessage,
  origin: 'local' | 'remote',
  removed: number,
): void {
  const count =
    'keys' in message ? message.keys.length : 'tags' in message ? message.tags.length : 1;
  invalidationChannel.publish({
    cache,
    kind: message.type,
    origin,
    count,
    removed,
  } satisfies InvalidationEvent);
}

/** What {@link publishInvalidation} reports: a bus message, or a local expiry of keys or tags. */
export type InvalidationMessage =
  | BusMessage
  | { readonly type: 'expireKeys'; readonly keys: readonly string[] }
  | { readonly type: 'expireTags'; readonly tags: readonly string[] };

/** Publishes a {@link BusEvent} (call only when subscribed). */
export function publishBusEvent(cache: string, transport: string, event: BusEventName): void {
  busChannel.publish({ cache, transport, event } satisfies BusEvent);
}

/**
 * Runs `loader` inside the load tracing channel (call only when it has subscribers). The loader
 * is called synchronously, in the caller's async context, as without tracing.
 */
export function traceLoad<T>(
  cache: string,
  key: string,
  loader: () => T | PromiseLike<T>,
): Promise<T> {
  const context: LoadEvent = { cache, namespace: keyNamespace(key), key };
  // An async wrapper: tracePromise needs a promise, and a loader may return a plain value or throw.
  return loadChannel.tracePromise(
    async () => (context.around === undefined ? loader() : context.around(loader)),
    context,
  );
}
