import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** Says at start-up, in one line, whether this instance's cache is on the Redis bus. */
@Injectable()
export class BusStatusLogger implements OnApplicationBootstrap {
  readonly #logger = new Logger('CacheBus');

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const { redisUrl, redisChannel } = this.config;
    this.#logger.log(
      redisUrl === undefined
        ? 'Bus off (REDIS_URL not set): invalidations reach other instances through the change feed.'
        : `Bus on: joining channel "${redisChannel}" at ${redactPassword(redisUrl)} ` +
            '(joins once Redis answers).',
    );
  }
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}
