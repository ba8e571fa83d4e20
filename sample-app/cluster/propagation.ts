import { send } from '../demo/http-client.js';

/** When a poller first saw an instance's entry gone, on this process's `performance.now()` clock. */
export interface Removal {
  /** The reply time of the first poll that found the entry gone; undefined if never seen. */
  readonly goneAt: number | undefined;
  readonly polls: number;
}

/**
 * Polls `GET /cache/contains?key=` on `baseUrl` back to back (one request in flight at a time,
 * so the resolution is one loopback round trip) until the entry is gone or `until()` says stop.
 */
export async function watchRemoval(
  baseUrl: string,
  key: string,
  until: () => boolean,
): Promise<Removal> {
  const path = `/cache/contains?key=${encodeURIComponent(key)}`;
  let polls = 0;
  while (!until()) {
    const reply = await send(baseUrl, 'GET', path);
    polls++;
    if ((reply.body as { cached: boolean }).cached === false) {
      return { goneAt: performance.now(), polls };
    }
  }
  return { goneAt: undefined, polls };
}
