import type { ExecutionContext, Logger } from '@nestjs/common';
import { CacheError } from '../core/cache.errors.js';
import { holdsInstance, type CachedResponse } from './cached-response.js';

/** Problems a route's bodies have with the cache, each logged once per handler. */
export class RouteWarnings {
  /** Handlers already warned about. */
  readonly #warned = new WeakSet<object>();

  constructor(private readonly logger: Logger) {}

  /** A load the codec could not encode (`E_ENCODE`) is served uncached, after one warning. */
  unencodable(error: unknown, context: ExecutionContext): undefined {
    if (!(error instanceof CacheError) || error.code !== 'E_ENCODE') throw error;
    this.#once(
      context,
      `returned a body the cache cannot encode, so its response is not cached (${error.message}).`,
    );
    return undefined;
  }

  /**
   * True when an entry stored with class instances came back without them (a codec without
   * `exact`): a serializer outside the interceptor would no longer apply, so it is not served.
   */
  lostClasses(entry: CachedResponse, ran: unknown, context: ExecutionContext): boolean {
    if (entry.kind !== 'value' || !entry.instances || ran !== undefined) return false;
    if (holdsInstance(entry.body)) return false;
    this.#once(
      context,
      "returns class instances, which this cache's codec does not keep (use the default codec, " +
        'or one with exact: true), so its responses are served uncached.',
    );
    return true;
  }

  #once(context: ExecutionContext, problem: string): void {
    const handler = context.getHandler();
    if (this.#warned.has(handler)) return;
    this.#warned.add(handler);
    this.logger.warn(`${context.getClass().name}.${handler.name} ${problem}`);
  }
}
