import { execFileSync } from 'node:child_process';

/** The pid of the redis-server listening on `port` (from INFO server). */
export function redisPid(port: number): number {
  const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'server']).toString();
  return Number(/process_id:(\d+)/.exec(info)![1]);
}

/** Freezes the server on `port` (SIGSTOP: connections stay open, nothing answers); returns a thaw. */
export function freezeRedis(port: number): () => void {
  const pid = redisPid(port);
  process.kill(pid, 'SIGSTOP');
  return () => process.kill(pid, 'SIGCONT');
}
