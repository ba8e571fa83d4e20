/**
 * Orders two epochs of a channel's counter. An epoch is Redis' `TIME` when the counter's hash was
 * created, written `<seconds>.<microseconds>` (microseconds not zero-padded), so a counter that
 * starts again gets a later epoch. Text that is not of that shape (test fixtures) compares as text.
 * Returns a negative number when `a` is older than `b`, 0 when equal, positive when newer.
 */
export function compareEpochs(a: string, b: string): number {
  if (a === b) return 0;
  const x = parse(a);
  const y = parse(b);
  if (x === undefined || y === undefined) return a < b ? -1 : 1;
  return x[0] !== y[0] ? x[0] - y[0] : x[1] - y[1];
}

function parse(epoch: string): [number, number] | undefined {
  const match = /^(\d{1,15})\.(\d{1,6})$/.exec(epoch);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}
