import { invalidationChannel, publishInvalidation } from '../cache-events.js';
import type { CacheChange } from '../local-changes.js';
import type { ChangeSink, ChangeSource } from './change-source.js';

/** Where a cache applies what its sources deliver. */
export interface SourcedChanges {
  /** Applies `change` here, and to the second tier when `tier`. Returns the live entries removed. */
  apply(change: CacheChange, tier: boolean): number;
  /** See {@link ChangeSink.startAt} (the local flush is already applied). */
  startAt(stream: string, position: number, waitMs: number): void;
  /** See {@link ChangeSink.appliedThrough}. */
  appliedThrough(stream: string, position: number): void;
}

/**
 * A cache's sources of changes, attached to its local-change path. Each change they deliver is
 * applied here only and reported as a `remote` invalidation event.
 */
export class AttachedSources {
  readonly #sources: readonly ChangeSource[];

  constructor(sources: readonly ChangeSource[], cacheName: string, changes: SourcedChanges) {
    this.#sources = sources;
    const apply = (change: CacheChange, tier: boolean): number => {
      const removed = changes.apply(change, tier);
      if (invalidationChannel.hasSubscribers)
        publishInvalidation(cacheName, change, 'remote', removed);
      return removed;
    };
    const sink: ChangeSink = {
      cacheName,
      apply: (change) => apply(change, true),
      startAt(stream, position, waitMs) {
        apply({ type: 'flush' }, false);
        changes.startAt(stream, position, waitMs);
      },
      appliedThrough: (stream, position) => changes.appliedThrough(stream, position),
    };
    for (const source of sources) source.attach(sink);
  }

  /** Resolves true once every source is ready, or false after `timeoutMs`; never rejects. */
  async ready(timeoutMs: number): Promise<boolean> {
    const waits = this.#sources.map((source) => source.ready?.());
    if (waits.every((wait) => wait === undefined)) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    try {
      return await Promise.race([
        Promise.all(waits).then(
          () => true,
          () => false,
        ),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every source; one failing to close does not keep the others open. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#sources.map((source) => source.close()));
  }
}
