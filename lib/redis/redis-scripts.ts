import type { Redis } from 'ioredis';

/**
 * The two Lua scripts behind the gap detection. The channel's state lives in one hash,
 * `hydracache:v1:<channel>:state`, with fields `seq` (the number of the last message published)
 * and `epoch` (a creation stamp). Redis restarted without persistence, the key evicted or flushed:
 * the hash is created again with a new epoch, which every subscriber sees as a gap.
 *
 * Beside it, the replay log `{hydracache:v1:<channel>:state}:log` (the braces put it in the hash
 * slot of the state, for Redis Cluster): a Stream capped at about `replayLog` entries, entry
 * `<seq>-1` holding each frame's body, written by the same script that publishes. A new epoch
 * starts a new log.
 */

const ENSURE_STATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  local t = redis.call('TIME')
  redis.call('HSET', KEYS[1], 'seq', 0, 'epoch', t[1] .. '.' .. t[2])
  redis.call('DEL', KEYS[2])
end`;

/**
 * Numbers the message and publishes it as a frame (redis-frame.ts: magic, number, epoch, body) in
 * one atomic step. The epoch in every frame lets a subscriber tell a replayed old frame (same
 * epoch, a number it already passed) from a counter that really started again (a newer epoch).
 */
const PUBLISH = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  local t = redis.call('TIME')
  epoch = t[1] .. '.' .. t[2]
  redis.call('HSET', KEYS[1], 'seq', 0, 'epoch', epoch)
  redis.call('DEL', KEYS[2])
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('PUBLISH', ARGV[1], 'HC' .. struct.pack('>I8B', seq, #epoch) .. epoch .. ARGV[2])
if ARGV[3] ~= '0' then
  -- pcall: a log that cannot take the entry (evicted, foreign key) costs a replay, not the publish.
  redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], seq .. '-1', 'b', ARGV[2])
end
return seq`;

/** Reads the channel's state (creating it when absent) as `[seq, epoch]`. */
const READ_STATE = `${ENSURE_STATE}
return redis.call('HMGET', KEYS[1], 'seq', 'epoch')`;

/** The channel's state as the read script returns it. */
export interface ChannelState {
  readonly seq: number;
  readonly epoch: string;
}

/** A publisher connection with the two scripts defined on it. */
export interface ScriptedRedis extends Redis {
  hydracachePublish(
    stateKey: string,
    logKey: string,
    channel: string,
    payload: Uint8Array,
    logLength: string,
  ): Promise<number>;
  hydracacheReadState(stateKey: string, logKey: string): Promise<[string, string]>;
}

/** Defines both scripts on `client` (ioredis loads them with EVALSHA and reloads them after a restart). */
export function defineScripts(client: Redis): ScriptedRedis {
  client.defineCommand('hydracachePublish', { numberOfKeys: 2, lua: PUBLISH });
  client.defineCommand('hydracacheReadState', { numberOfKeys: 2, lua: READ_STATE });
  return client as ScriptedRedis;
}

/** Reads the state through the script and checks its shape. */
export async function readChannelState(
  client: ScriptedRedis,
  stateKey: string,
  logKey: string,
): Promise<ChannelState> {
  const [seq, epoch] = await client.hydracacheReadState(stateKey, logKey);
  const n = Number(seq);
  if (!Number.isSafeInteger(n) || n < 0 || typeof epoch !== 'string') {
    throw new Error(`unexpected state in ${stateKey}: seq=${String(seq)} epoch=${String(epoch)}`);
  }
  return { seq: n, epoch };
}
