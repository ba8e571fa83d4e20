import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';

/** The shared Redis the plain Redis tests use (a unique channel per test keeps them apart). */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** Set in CI: a missing Redis (or redis-server) fails the Redis tests instead of skipping them. */
const REQUIRE = Boolean(process.env.HYDRACACHE_REQUIRE_REDIS);

/**
 * Resolves to true when the shared Redis answers PING. When it does not: throws if
 * `HYDRACACHE_REQUIRE_REDIS` is set, otherwise prints why the suite is skipped and resolves false.
 */
export async function sharedRedisAvailable(suite: string): Promise<boolean> {
  if (await answersPing(6379)) return true;
  return skipOrFail(suite, `no Redis answers PING at ${SHARED_REDIS_URL}`);
}

/** Like {@link sharedRedisAvailable}, for suites that start their own `redis-server`. */
export function redisServerAvailable(suite: string): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return skipOrFail(suite, 'redis-server is not on PATH');
  }
}

function skipOrFail(suite: string, reason: string): false {
  if (REQUIRE) throw new Error(`${suite}: ${reason}, and HYDRACACHE_REQUIRE_REDIS is set.`);
  console.warn(`SKIPPED ${suite}: ${reason} (set HYDRACACHE_REQUIRE_REDIS=1 to fail instead).`);
  return false;
}

/** True when something on 127.0.0.1:`port` answers `PING` with `+PONG` within a second. */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.on('error', () => done(false));
  });
}
