import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CACHE_CHANNELS, HydraCache, type InvalidationEvent } from '@hydracache/nestjs';

/**
 * Counts the invalidations this instance's cache applied from outside the app's own calls: the
 * change feed (a write by anyone to a watched table) and the Redis bus. Read by `GET /cache/stats`
 * as `remoteChanges`, so the demo can wait until the feed has caught up with a write.
 */
@Injectable()
export class RemoteChangesCounter implements OnModuleInit, OnModuleDestroy {
  #count = 0;
  readonly #onEvent = (message: unknown): void => {
    const event = message as InvalidationEvent;
    if (event.origin === 'remote' && event.cache === this.cache.name) this.#count++;
  };

  constructor(private readonly cache: HydraCache) {}

  /** Remote invalidation events seen since start. */
  get count(): number {
    return this.#count;
  }

  onModuleInit(): void {
    subscribe(CACHE_CHANNELS.invalidation, this.#onEvent);
  }

  onModuleDestroy(): void {
    unsubscribe(CACHE_CHANNELS.invalidation, this.#onEvent);
  }
}
