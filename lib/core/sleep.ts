/** Resolves after `ms` ms, on a timer that never keeps the process alive (for retries and polls). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
