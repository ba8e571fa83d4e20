import type { Redis } from 'ioredis';

/** Milliseconds a polite QUIT may take before the socket is dropped. */
const QUIT_TIMEOUT_MS = 500;

/**
 * Closes one of the bus's own connections for good: optional last words (`UNSUBSCRIBE`), `QUIT`,
 * and `disconnect()` when that fails or takes longer than {@link QUIT_TIMEOUT_MS}, which also ends
 * reconnection. Never rejects; leaves no timer behind.
 */
export async function shutDownConnection(
  client: Redis,
  lastWords?: (client: Redis) => Promise<unknown>,
): Promise<void> {
  client.removeAllListeners();
  client.on('error', () => undefined); // a late socket error during shutdown is expected
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
    timer.unref();
  });
  const polite = async (): Promise<void> => {
    if (client.status !== 'ready') return;
    if (lastWords) await lastWords(client);
    await client.quit();
  };
  try {
    await Promise.race([polite(), timeout]);
  } catch {
    // Down or closing already: disconnect() below is all that is left to do.
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
