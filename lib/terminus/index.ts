/**
 * `@hydracache/nestjs/terminus`: a health indicator for `@nestjs/terminus`. A separate entry point
 * so that apps without terminus (an optional peer dependency) never load it.
 */
export { HydraCacheHealthIndicator } from './hydra-cache.health-indicator.js';
export type { BusDownStatus, HydraCacheHealthOptions } from './hydra-cache.health-indicator.js';
