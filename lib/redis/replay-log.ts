import type { Redis } from 'ioredis';
import type { CheckedFrame, FrameIntake } from './frame-intake.js';
import { encodeFrame } from './redis-frame.js';

/**
 * Reading back from the replay log (`{hydracache:v1:<channel>:state}:log`, written by the publish
 * script, see redis-scripts.ts) the frames a reconnecting subscriber missed.
 */

/**
 * The frames numbered `from` to `to` (inclusive) of counter epoch `epoch`, in order, each checked
 * like a frame off the channel (MAC, payload, sender's number); fewer when the log no longer (or
 * never) held some, which leaves the reconnect a gap.
 */
export async function readMissedFrames(
  client: Redis,
  logKey: string,
  [from, to]: readonly [number, number],
  epoch: string,
  intake: FrameIntake,
): Promise<CheckedFrame[]> {
  const frames: CheckedFrame[] = [];
  for (const [seq, body] of await readLog(client, logKey, from, to)) {
    const checked = intake.take(encodeFrame(seq, epoch, body), true);
    if (checked.kind === 'numbered') frames.push(checked);
  }
  return frames;
}

/**
 * The log's entries numbered `from` to `to` (inclusive), as `[seq, body]`, in order; fewer when
 * the log no longer (or never) held some.
 */
async function readLog(
  client: Redis,
  logKey: string,
  from: number,
  to: number,
): Promise<[number, Buffer][]> {
  const entries = await client.xrangeBuffer(logKey, `${from}-1`, `${to}-1`);
  const out: [number, Buffer][] = [];
  for (const [id, fields] of entries) {
    const body = fields[1];
    if (fields[0]?.toString() !== 'b' || body === undefined) continue;
    out.push([Number.parseInt(id.toString(), 10), body]);
  }
  return out;
}
