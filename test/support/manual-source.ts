import type { ChangeSink, ChangeSource } from '../../lib/index.js';

/** A source of changes a test drives by hand: it keeps the sink it was attached to and counts closes. */
export class ManualSource implements ChangeSource {
  #sink: ChangeSink | undefined;
  closed = 0;

  /** The sink the cache attached; throws when it has not (the cache was not built with it). */
  get sink(): ChangeSink {
    if (this.#sink === undefined) throw new Error('ManualSource: not attached to a cache');
    return this.#sink;
  }

  attach(sink: ChangeSink): void {
    this.#sink = sink;
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
