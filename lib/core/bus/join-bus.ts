import { invalidationChannel, publishInvalidation } from '../cache-events.js';
import type { BusSetting } from '../hydra-cache.settings.js';
import type { BusMessage } from './bus-message.types.js';
import { CacheBus } from './cache-bus.js';

/** What a cache gives the bus it joins. */
export interface BusMember {
  /** The cache's name, for events. */
  readonly name: string;
  /** Applies a message through the cache's local path only; returns the live entries it removed. */
  apply(message: BusMessage): number;
  /** Entries stored now. */
  size(): number;
  /** Loads running now. */
  loading(): number;
}

/**
 * Connects a cache to the other instances per its `bus` setting; undefined without one. A message
 * from another instance takes the local path only: it is never published again.
 */
export function joinBus(setting: BusSetting | undefined, member: BusMember): CacheBus | undefined {
  if (setting === undefined) return undefined;
  const { transport, ...options } = 'transport' in setting ? setting : { transport: setting };
  return new CacheBus(
    transport,
    {
      applyLocally: (message) => {
        const removed = member.apply(message);
        if (invalidationChannel.hasSubscribers)
          publishInvalidation(member.name, message, 'remote', removed);
      },
      name: member.name,
      get size() {
        return member.size();
      },
      get loading() {
        return member.loading();
      },
    },
    options,
  );
}
