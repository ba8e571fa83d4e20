import { invalidationChannel, publishInvalidation } from '../cache-events.js';
import type { LocalChanges } from '../local-changes.js';
import type { ChangeSource } from './change-source.js';

/**
 * A cache's sources of changes, attached to its local-change path. Each change they deliver is
 * applied here only and reported as a `remote` invalidation event.
 */
export class AttachedSources {
  readonly #sources: readonly ChangeSource[];

  constructor(
    sources: readonly ChangeSource[],
    cacheName: string,
    changes: Pick<LocalChanges, 'apply'>,
  ) {
    this.#sources = sources;
    const sink = {
      cacheName,
      apply(change: Parameters<LocalChanges['apply']>[0]): number {
        const removed = changes.apply(change);
        if (invalidationChannel.hasSubscribers)
          publishInvalidation(cacheName, change, 'remote', removed);
        return removed;
      },
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
