import type { CacheChange } from '../local-changes.js';

/** What a cache hands each source of changes it is given. */
export interface ChangeSink {
  /** The cache's `name` setting, for events and logs. */
  readonly cacheName: string;
  /**
   * Applies `change` to this instance only (it is never published on the bus: every instance hears
   * the source itself) through the same path as a local invalidation, so loads it overtakes are
   * superseded and store nothing. Returns how many live entries it removed.
   */
  apply(change: CacheChange): number;
  /**
   * For a source reading an ordered log (the Postgres change feed), in place of the flush it
   * applies when it starts: it hears the changes of `stream` committed after `position` (numbers
   * that grow along the stream), and none before. The cache drops what it holds, and uses its
   * second tier again only once another instance reported applying `stream` past `position` (see
   * {@link appliedThrough}), or else flushes the tier after `waitMs` ms: a change committed
   * before `position` that no running instance applied would otherwise survive in the tier.
   */
  startAt(stream: string, position: number, waitMs: number): void;
  /**
   * Every change of `stream` committed before `position` has been applied (through
   * {@link apply}). With a second tier, recorded there once the tier has them too, for instances
   * that start later ({@link startAt}).
   */
  appliedThrough(stream: string, position: number): void;
}

/**
 * Something outside the cache that says what changed (the Postgres change feed, an ORM's
 * after-commit hook, ...). A cache attaches each of its sources once, when it is built, and
 * closes them in `close()`. A source must never throw from `attach` for network trouble: it
 * reports that through its own stats and events, and when it may have missed changes it applies
 * `{ type: 'flush' }` (nothing is lost silently).
 */
export interface ChangeSource {
  /** Starts delivering changes to `sink`. Called once, synchronously, by the cache's constructor. */
  attach(sink: ChangeSink): void;
  /** Stops delivering and releases every timer and connection the source opened; safe to call twice. */
  close(): Promise<void>;
  /**
   * Optional: resolves once the source hears every change from now on (connected, caught up).
   * Until then it may flush the cache when it connects; `cache.ready()` waits for it.
   */
  ready?(): Promise<void>;
}

/** True for an object that looks like a {@link ChangeSource}. */
export function isChangeSource(value: unknown): value is ChangeSource {
  const source = value as Partial<ChangeSource> | null;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.attach === 'function' &&
    typeof source.close === 'function'
  );
}
