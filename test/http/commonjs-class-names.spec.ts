import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../e2e/packaging/built-dist.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Exports of a build whose `name` differs from the name they are exported under. */
function renamedClasses(entry: string, loader: 'require' | 'import'): string[] {
  const script =
    loader === 'require'
      ? `const m = require(${JSON.stringify(entry)});`
      : `const m = await import(${JSON.stringify(entry)});`;
  const check =
    `${script} const out = [];` +
    ` for (const [name, value] of Object.entries(m)) {` +
    `   if (typeof value === 'function' && /^class /.test(Function.prototype.toString.call(value)) && value.name !== name) out.push(name + ' -> ' + value.name);` +
    ` } console.log(JSON.stringify(out));`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const args = loader === 'require' ? ['-e', check] : ['--input-type=module', '-e', check];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' }));
}

describe('class names in the builds', () => {
  beforeAll(() => ensureBuilt(ROOT), 120_000);

  // Nest names classes in DI errors ("can't resolve dependencies of the HydraCacheInterceptor2")
  // and default @Cached keys use class names: the CommonJS build must not rename them.
  it.each([
    ['CommonJS', path.join(ROOT, 'dist/cjs/index.cjs'), 'require'],
    ['ES module', path.join(ROOT, 'dist/index.js'), 'import'],
  ] as const)('keeps every exported class name in the %s build', (_build, entry, loader) => {
    expect(renamedClasses(entry, loader)).toEqual([]);
  });
});
