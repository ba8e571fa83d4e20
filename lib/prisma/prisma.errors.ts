import { CacheError } from '../core/cache.errors.js';

/** Message factories for errors raised by the Prisma extension. */
export const PrismaCacheErrors = {
  unsupportedClient: (): CacheError =>
    new CacheError(
      'E_INVALID_OPTION',
      'The HydraCache Prisma extension needs a Prisma Client 7 (prisma-client generator with a driver adapter): ' +
        'it reads the client runtime data model and its transaction control, which this client does not expose.',
    ),
};
