import type { TierHit, TierLookup, TierMiss } from '../core/l2/second-tier.js';
import type { RedisClock } from './l2-clock.js';
import { readHeader, sameVersion } from './l2-entry.js';

/** What a lookup read: the versions a fill must still find, and the lease it holds ('' for none). */
export interface RedisTicket {
  readonly g: string;
  readonly c: string;
  readonly k: string;
  /** Declared tags (deduplicated) and their versions, in the same order. */
  readonly tags: readonly string[];
  readonly versions: readonly string[];
  readonly lease: string;
}

const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * The answer `read` (an MGET of entry, g, c, k, then the declared tags' versions) gives by
 * itself, if it gives one: a current entry is a hit, a stale or missing one a miss with the
 * versions read as its ticket. Undefined (the lookup script decides) when the entry names a tag
 * the caller did not declare, a version is missing, Redis's clock is not known yet, or a lease is
 * to be taken (`withLease`).
 */
export function settleRead(
  read: (Buffer | null)[],
  names: readonly string[],
  clock: RedisClock,
  withLease: boolean,
): TierLookup | undefined {
  const entry = read[0];
  const g = read[1]!;
  const k = read[3]!;
  if (entry !== null && entry !== undefined) {
    const header = readHeader(entry);
    if (header === undefined) return undefined;
    if (!sameVersion(entry, header.g, g) || !sameVersion(entry, header.k, k)) {
      return ticketFrom(read, names, withLease);
    }
    const entryTags: string[] = [];
    for (let i = 0; i < header.tags.length; i++) {
      const [start, end] = header.tags[i]!;
      const tag = entry.toString('utf8', start, end);
      const at = names.indexOf(tag);
      // A tag the caller did not declare (a result tag): its version is read in Redis.
      if (at === -1) return undefined;
      if (!sameVersion(entry, header.versions[i]!, read[4 + at]!)) {
        return ticketFrom(read, names, withLease);
      }
      entryTags.push(tag);
    }
    const now = clock.now();
    if (now === undefined) return undefined;
    const ttl = header.expires - now;
    if (ttl > 0) {
      return {
        hit: true,
        bytes: entry.subarray(header.data),
        ttl,
        tags: entryTags.length === 0 ? NO_TAGS : entryTags,
      };
    }
  }
  return ticketFrom(read, names, withLease);
}

/** A miss's ticket from the versions `read`, unless one is missing or a lease is to be taken. */
function ticketFrom(
  read: (Buffer | null)[],
  names: readonly string[],
  withLease: boolean,
): TierLookup | undefined {
  if (withLease) return undefined;
  const versions: string[] = [];
  for (let i = 1; i < read.length; i++) {
    const version = read[i];
    if (version === null || version === undefined) return undefined;
    versions.push(version.toString('latin1'));
  }
  return missOf(versions, names, '');
}

/** A miss whose ticket holds `versions` (g, c, k, then the declared tags') and `lease`. */
export function missOf(
  versions: readonly string[],
  names: readonly string[],
  lease: string,
): TierMiss {
  const [g, c, k, ...tagVersions] = versions;
  const ticket: RedisTicket = { g: g!, c: c!, k: k!, tags: names, versions: tagVersions, lease };
  return { hit: false, ticket };
}

/** A hit from an entry the lookup script found current, read at `serverNow` (ms, Redis's clock). */
export function hitIn(entry: Buffer, serverNow: number): TierHit {
  const header = readHeader(entry);
  if (header === undefined) throw new Error('hydracache: unreadable second-tier entry');
  return {
    hit: true,
    bytes: entry.subarray(header.data),
    ttl: Math.max(1, header.expires - serverNow),
    tags:
      header.tags.length === 0
        ? NO_TAGS
        : header.tags.map(([start, end]) => entry.toString('utf8', start, end)),
  };
}
