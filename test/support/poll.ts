/**
 * Waits until `condition()` is true, checking every 10 ms, and fails naming `what` after
 * `timeoutMs` (default 10 s). For the few tests that must wait on real sockets; the deadline is
 * generous and never asserts how fast something happened.
 */
export async function pollUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
