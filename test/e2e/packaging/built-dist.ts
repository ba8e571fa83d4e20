import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time of the files under `dir` (recursively). */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Leaves dist/ as `npm run build` makes it, both builds included: rebuilds only when dist/ is
 * missing or older than lib/, the build script or package.json, so specs that share it do not
 * delete it under each other.
 */
export function ensureBuilt(root: string): void {
  const builtMarker = path.join(root, 'dist', 'cjs', 'index.cjs');
  const inputs = Math.max(
    newestUnder(path.join(root, 'lib')),
    newestUnder(path.join(root, 'scripts')),
    statSync(path.join(root, 'package.json')).mtimeMs,
  );
  if (existsSync(builtMarker) && statSync(builtMarker).mtimeMs >= inputs) return;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    env,
    stdio: 'pipe',
  });
}
