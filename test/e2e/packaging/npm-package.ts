import { execFile, spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { tinyNestApp, type ModuleKind, type TinyAppResult } from './tiny-nest-app.js';

const exec = promisify(execFile);
const WINDOWS = process.platform === 'win32';

/** The library's peer dependencies, linked into the throw-away apps from the repo's node_modules. */
export const PEERS = ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs'];

/**
 * The environment of child processes: without jest's NODE_OPTIONS (--experimental-vm-modules),
 * which would let a consumer's Jest load ES modules, and without this worker's Jest variables.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.JEST_WORKER_ID;
  return env;
}

/** Runs a command; rejects when it fails. */
export async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await exec(command, args, {
    cwd,
    env: childEnv(),
    shell: WINDOWS,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** How a child process ended and what it printed. */
export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without rejecting, so a test can show what a failure printed. */
export function spawnChild(command: string, args: string[], cwd: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), shell: WINDOWS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs npm; a failure rejects with npm's own output, which names what went wrong. */
export async function npm(args: string[], cwd: string): Promise<string> {
  const result = await spawnChild('npm', args, cwd);
  if (result.code !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** `npm pack` output for one package. */
export interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** Packs the repo into `destination`; returns npm's description of the tarball. */
export async function pack(root: string, destination: string): Promise<PackResult> {
  const stdout = await run('npm', ['pack', '--json', '--pack-destination', destination], root);
  const [result] = JSON.parse(stdout) as PackResult[];
  return result;
}

/**
 * Creates a throw-away NestJS app in `dir` and installs the tarball into it with npm, from the
 * local npm cache (falling back to the registry only if the cache lacks a dependency). NestJS and
 * the other peers are not downloaded: they are linked from `repoModules`, so the app runs the
 * exact NestJS version the repo is developed against.
 */
export async function createTinyApp(
  dir: string,
  kind: ModuleKind,
  tarball: string,
  repoModules: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  // The README's cbor-extract override: without it the offline install below finds no platform
  // packages for cbor-extract 2.2.3 and falls back to the registry.
  const overrides = { 'cbor-extract': '2.2.2' };
  const manifest = { name: `tiny-${kind}-app`, private: true, type: kind, overrides };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const install = ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', tarball];
  try {
    await run('npm', [...install, '--offline'], dir);
  } catch {
    await run('npm', [...install, '--prefer-offline'], dir);
  }
  for (const peer of PEERS) {
    const link = path.join(dir, 'node_modules', peer);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.join(repoModules, peer), link, 'junction');
  }
  await writeFile(path.join(dir, 'app.js'), tinyNestApp(kind));
}

/** Runs the tiny app with plain `node` and parses what it printed. */
export async function runTinyApp(dir: string): Promise<TinyAppResult> {
  return JSON.parse(await run(process.execPath, ['app.js'], dir)) as TinyAppResult;
}
