import { execFile } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt } from '../e2e/packaging/built-dist.js';

const ROOT = process.cwd();
const CHILD = path.join(ROOT, 'test', 'core', 'support', 'timeout-child.mjs');

/** Runs a scenario of timeout-child.mjs against the built package; its stdout once it exits. */
function runChild(scenario: string): Promise<{ code: number | null; out: string }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // the child runs the built package, not jest's VM modules
  return new Promise((resolve) => {
    // The deadline only stops a child that never exits (the defect); no scenario comes near it.
    execFile(
      process.execPath,
      [CHILD, path.join(ROOT, 'dist'), scenario],
      { env, timeout: 60_000 },
      (error, stdout) =>
        resolve({ code: error === null ? 0 : (error.code as number), out: stdout }),
    );
  });
}

/*
 * A loader that never settles and holds no handle leaves nothing to keep a script, worker or test
 * process alive but the cache's timeout: while a caller waits on it, that timer must keep the
 * process running until it fires, so the caller gets E_LOAD_TIMEOUT or the stale value.
 */
describe('timeouts a caller waits on, in a process with nothing else to do', () => {
  beforeAll(() => ensureBuilt(ROOT), 120_000);

  it.each([
    ['hardTimeout', 'E_LOAD_TIMEOUT\n'],
    ['softTimeout', 'stale v1\n'],
    ['joinedBackgroundRefresh', 'stale\nE_LOAD_TIMEOUT\n'],
  ])('%s: the caller gets its answer before the process exits', async (scenario, expected) => {
    expect(await runChild(scenario)).toEqual({ code: 0, out: expected });
  });

  it('after close() nothing keeps the process alive, not even a caller still waiting', async () => {
    expect(await runChild('closed')).toEqual({ code: 0, out: 'closed\n' });
  });
});
