import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PEERS,
  createTinyApp,
  pack,
  run,
  runTinyApp,
  type PackResult,
} from './packaging/npm-package.js';
import type { ModuleKind } from './packaging/tiny-nest-app.js';

const ROOT = process.cwd();
const REPO_MODULES = path.join(ROOT, 'node_modules');

interface Manifest {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** True when `version` satisfies a caret range `^X.Y.Z` (the only form the peers use). */
function satisfiesCaret(version: string, range: string): boolean {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (match === null) return false;
  const [major, minor, patch] = version.split('.').map(Number);
  const [rMajor, rMinor, rPatch] = match.slice(1).map(Number);
  return (
    major === rMajor &&
    (minor > rMinor || (minor === rMinor && patch >= rPatch)) &&
    (rMajor > 0 || minor === rMinor)
  );
}

describe('npm package', () => {
  let work: string;
  let packed: PackResult;
  let tarball: string;

  beforeAll(async () => {
    expect((await readManifest(ROOT)).name).toBe('@hydracache/nestjs');
    work = await mkdtemp(path.join(tmpdir(), 'hydracache-pack-'));
    await run('npm', ['run', 'build'], ROOT);
    packed = await pack(ROOT, work);
    tarball = path.join(work, packed.filename);
  }, 120_000);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('holds only dist/, the README, the license and package.json', () => {
    const files = packed.files.map((file) => file.path).sort();
    expect(files.filter((file) => !file.startsWith('dist/'))).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
    ]);
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts']));
  });

  it('declares peer ranges that hold the NestJS version the apps below run against', async () => {
    const { peerDependencies } = await readManifest(ROOT);
    const peers = await Promise.all(
      PEERS.map(async (peer) => {
        const { version } = await readManifest(path.join(REPO_MODULES, peer));
        const range = peerDependencies[peer];
        return { peer, version, range, covered: satisfiesCaret(version, range) };
      }),
    );
    expect(peers.filter((peer) => !peer.covered)).toEqual([]);
  });

  it.each<[string, ModuleKind]>([
    ['ESM', 'module'],
    ['CommonJS (require of an ES module)', 'commonjs'],
  ])(
    'installs into a throw-away %s NestJS app: bootstrap, a cached call, an invalidation',
    async (_label, kind) => {
      const dir = path.join(work, `${kind}-app`);
      await createTinyApp(dir, kind, tarball, REPO_MODULES);

      const result = await runTinyApp(dir);

      expect(result).toEqual({
        moduleSystem: kind,
        loadsBeforeInvalidation: 1,
        loadsAfterInvalidation: 2,
        hitEqualsFirstLoad: true,
        dateSurvived: true,
        stats: expect.objectContaining({
          hits: 1,
          loads: 2,
          singleFlightJoins: 2,
          invalidations: 1,
          size: 1,
        }),
      });
    },
    120_000,
  );
});
